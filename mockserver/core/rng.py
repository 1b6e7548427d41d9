"""Seeded randomness: the only source of random values, Faker data and minted secrets.

Every consumer asks for a stream by scope (vendor, purpose), so adding records to one vendor's
seed never shifts another vendor's data, and the same seed always gives the same bytes.
"""
from __future__ import annotations

import random
import string
import uuid

from faker import Faker

ALPHANUMERIC = string.ascii_letters + string.digits
HEX = "0123456789abcdef"


class Randomness:
    def __init__(self, seed: int):
        self.seed = int(seed)

    def stream(self, *scope: object) -> random.Random:
        # A str seed is hashed with SHA-512 by random.seed: stable across processes and runs.
        return random.Random("/".join([str(self.seed), *map(str, scope)]))

    def faker(self, *scope: object, locale: str = "en_US") -> Faker:
        fake = Faker(locale)
        fake.seed_instance(self.stream("faker", *scope).getrandbits(64))
        return fake


def token(rnd: random.Random, length: int, alphabet: str = ALPHANUMERIC) -> str:
    return "".join(rnd.choice(alphabet) for _ in range(length))


def guid(rnd: random.Random) -> str:
    return str(uuid.UUID(int=rnd.getrandbits(128), version=4))
