"""Vendor packages. Each subpackage exposes `VENDOR`, a `mockserver.core.vendor.Vendor`."""
