"""Vendor-neutral machinery: every cross-cutting concern lives in exactly one module here."""
