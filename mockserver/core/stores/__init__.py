"""Store backends: memory (one process) and redis (shared)."""
