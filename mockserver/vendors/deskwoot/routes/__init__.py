"""Deskwoot's views, one module per spec tag (docs/adding-a-vendor.md). An operation whose
module is not here yet is marked `x-sandbox-unserved` in the spec and answered 501."""
from .api_tokens import *  # noqa: F401,F403
from .automation_rules import *  # noqa: F401,F403
from .bots import *  # noqa: F401,F403
from .campaigns import *  # noqa: F401,F403
from .contacts import *  # noqa: F401,F403
from .conversations import *  # noqa: F401,F403
from .me import *  # noqa: F401,F403
from .messages import *  # noqa: F401,F403
from .webhooks import *  # noqa: F401,F403
from . import (api_tokens, automation_rules, bots, campaigns, contacts, conversations, me,
               messages, webhooks)

__all__ = [name for module in (api_tokens, automation_rules, bots, campaigns, contacts,
                                         conversations, me, messages, webhooks)
           for name in module.__all__]
