"""Seeding: `seed_data/<vendor>.yaml` plus the vendor's factories, written into the store's base.

Seeded dates are relative to the clock's `now` at seeding time (the anchor), so "last 30 days"
always has data, and a frozen clock plus a seed gives the same bytes on every start.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from .rng import Randomness
from .spec import load_document
from .store import Store


def load_seed_document(path: Path) -> dict:
    return load_document(path) if path.exists() else {}


def seed_vendor(store: Store, vendor, seed_doc: dict, seed: int, anchor: datetime) -> int:
    rows = list(vendor.build_seed(seed_doc, Randomness(seed), anchor))
    store.load_base(vendor.name, rows)
    return len(rows)
