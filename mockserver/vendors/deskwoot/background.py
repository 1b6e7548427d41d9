"""What the shared helpers (desk, conversation_rules) read of a request, for work that runs
outside one: automation rules after a commit, scheduled campaign sends. It acts for no user
(`user_id` None: notifications go to everyone concerned, messages have no sender)."""
from __future__ import annotations

from dataclasses import dataclass

from mockserver.core.vendor import Principal


@dataclass
class Background:
    runtime: object
    principal: Principal

    @classmethod
    def of(cls, runtime, tenant: str, identity: str) -> "Background":
        return cls(runtime, Principal(tenant, identity, {"user_id": None}))

    @property
    def tenant(self) -> str:
        return self.principal.tenant

    @property
    def store(self):
        return self.runtime.store

    @property
    def clock(self):
        return self.runtime.clock
