"""Deskie views, one per operationId, a module per tag of specs/deskie.yaml: read validated
parameters, apply the domain rules in models/reports, write through the store, render with
schemas. The registry binds the names listed in `__all__` to the spec's operations."""
from .cases import (create_case, delete_case, edit_case, get_case, get_case_changelog, list_cases,
                    rate_case, restore_case, restore_cases_bulk, spam_case, spam_cases_bulk,
                    trash_case, trash_cases_bulk)
from .companies import (block_company, create_company, delete_company, disable_company,
                        edit_company, get_company, list_companies, restore_company)
from .groups import (create_group, delete_group, disable_group, edit_group, enable_group,
                     get_group, list_groups)
from .labels import create_label, delete_label, edit_label, get_label, list_labels
from .lookups import (list_client_emails, list_custom_channels, list_custom_fields, list_filters,
                      list_languages, list_macros)
from .messages import (create_case_message, create_case_note, create_case_note_legacy,
                       delete_case_message, delete_case_note, edit_case_message, edit_case_note,
                       list_case_messages, rate_case_message)
from .reports import stats_leaderboard, stats_satisfaction, stats_staff_statuses
from .staff import (create_staff, delete_staff, disable_staff, edit_staff, enable_staff, get_staff,
                    list_staff, list_staff_roles, list_staff_statuses)
from .users import (block_user, create_user, delete_user, disable_user, edit_user, get_user,
                    identify_user, link_user, list_users, restore_user, unlink_user)

__all__ = [
    "list_cases", "create_case", "get_case", "edit_case", "delete_case",
    "trash_case", "trash_cases_bulk", "spam_case", "spam_cases_bulk", "restore_case",
    "restore_cases_bulk", "rate_case", "get_case_changelog", "list_case_messages",
    "create_case_message", "edit_case_message", "delete_case_message", "rate_case_message",
    "create_case_note", "create_case_note_legacy", "edit_case_note", "delete_case_note",
    "create_user", "list_users", "get_user", "edit_user", "delete_user", "block_user",
    "disable_user", "restore_user", "link_user", "unlink_user", "identify_user",
    "create_staff", "list_staff", "get_staff", "edit_staff", "delete_staff", "disable_staff",
    "enable_staff", "list_staff_roles", "list_staff_statuses", "create_group", "list_groups",
    "get_group", "edit_group", "delete_group", "disable_group", "enable_group",
    "create_company", "list_companies", "get_company", "edit_company", "delete_company",
    "block_company", "disable_company", "restore_company", "create_label", "list_labels",
    "get_label", "edit_label", "delete_label", "list_custom_fields", "list_languages",
    "list_filters", "list_custom_channels", "list_client_emails", "list_macros",
    "stats_leaderboard", "stats_staff_statuses", "stats_satisfaction",
]
