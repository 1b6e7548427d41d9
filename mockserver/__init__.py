"""A local, stateful sandbox of several SaaS vendors' REST APIs, driven by their OpenAPI specs."""

__version__ = "0.1.0"
