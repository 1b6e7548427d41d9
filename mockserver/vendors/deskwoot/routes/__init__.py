"""Deskwoot's views, one module per spec tag (docs/adding-a-vendor.md). An operation whose
module is not here yet is marked `x-sandbox-unserved` in the spec and answered 501."""
from .account import *  # noqa: F401,F403
from .agents import *  # noqa: F401,F403
from .api_tokens import *  # noqa: F401,F403
from .audit_logs import *  # noqa: F401,F403
from .automation_rules import *  # noqa: F401,F403
from .billing import *  # noqa: F401,F403
from .bots import *  # noqa: F401,F403
from .business_hours import *  # noqa: F401,F403
from .campaigns import *  # noqa: F401,F403
from .canned_responses import *  # noqa: F401,F403
from .contacts import *  # noqa: F401,F403
from .conversations import *  # noqa: F401,F403
from .custom_attributes import *  # noqa: F401,F403
from .custom_roles import *  # noqa: F401,F403
from .help_center import *  # noqa: F401,F403
from .inboxes import *  # noqa: F401,F403
from .labels import *  # noqa: F401,F403
from .macros import *  # noqa: F401,F403
from .me import *  # noqa: F401,F403
from .messages import *  # noqa: F401,F403
from .notifications import *  # noqa: F401,F403
from .public_portal import *  # noqa: F401,F403
from .sla_policies import *  # noqa: F401,F403
from .teams import *  # noqa: F401,F403
from .webhooks import *  # noqa: F401,F403
from . import (account, agents, api_tokens, audit_logs, automation_rules, billing, bots,
               business_hours, campaigns, canned_responses, contacts, conversations,
               custom_attributes, custom_roles, help_center, inboxes, labels, macros, me,
               messages, notifications, public_portal, sla_policies, teams, webhooks)

__all__ = [name for module in (account, agents, api_tokens, audit_logs, automation_rules,
                               billing, bots, business_hours, campaigns, canned_responses,
                               contacts, conversations, custom_attributes, custom_roles,
                               help_center, inboxes, labels, macros, me, messages,
                               notifications, public_portal, sla_policies, teams, webhooks)
           for name in module.__all__]
