"""Marshmallow fields shared by vendors' record schemas."""
from __future__ import annotations

from marshmallow import ValidationError, fields

from .clock import iso_z, parse_instant


class Instant(fields.Field):
    """An ISO-8601 instant stored as the UTC `...Z` string the vendors print."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError("Not a valid ISO 8601 date-time string.")
        try:
            return iso_z(parse_instant(value))
        except ValueError as exc:
            raise ValidationError("Not a valid ISO 8601 date-time.") from exc

    def _serialize(self, value, attr, obj, **kwargs):
        return value
