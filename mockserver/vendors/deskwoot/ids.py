"""Deskwoot's ids and secrets, all minted from the seeded randomness: cuid-like record ids (`c` +
24 lowercase letters and digits, 25 characters, as the page's `clx…` examples), API tokens (`dw_`
+ 64 hex, the page's "Token format"), session cookie values and webhook secrets. A token is
stored only as its SHA-256 digest; its value is re-minted from (seed, token id, generation) for
the credentials document."""
from __future__ import annotations

import hashlib
import re
import string

from mockserver.core.rng import HEX, token

V = "deskwoot"
CUID_ALPHABET = string.ascii_lowercase + string.digits
CUID = re.compile(r"^c[a-z0-9]{24}$")
TOKEN = re.compile(r"^dw_[0-9a-f]{64}$")
SESSION_COOKIE = "deskwoot_session"


def cuid(rnd) -> str:
    return "c" + token(rnd, 24, CUID_ALPHABET)


def new_id(ctx, collection: str) -> str:
    """A fresh id for a record made by a request: from the seed, the tenant, the collection and
    the store's sequence for it, so a replayed run mints the same ids."""
    number = ctx.store.next_id(V, ctx.tenant, collection)
    return cuid(ctx.runtime.randomness().stream(V, ctx.tenant, collection, "new", number))


def token_value(randomness, token_id: str, generation: int = 0) -> str:
    return "dw_" + token(randomness.stream(V, "token", token_id, generation), 64, HEX)


def session_value(randomness, user_id: str, generation: int = 0) -> str:
    return token(randomness.stream(V, "session", user_id, generation), 48, CUID_ALPHABET)


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()
