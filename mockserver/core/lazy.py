"""Start-up without heavy modules that would only be loaded to stay unused.

openapi-core's schema path library (jsonschema_path) fetches remote `$ref`s with `requests` when
it is installed, else with the standard library's urllib. The sandbox's specs have no remote
`$ref`, and `requests` (with urllib3 and its friends) is a tenth of a second of start-up, so the
library is imported as if `requests` were absent; `requests` itself stays importable for anyone.
"""
from __future__ import annotations

import importlib
import sys


def import_without(module: str, absent: str) -> None:
    """Import `module` as if `absent` were not installed (its fallback is used), unless
    `absent` is loaded already; afterwards `absent` imports as usual."""
    if absent in sys.modules or module in sys.modules:
        return
    sys.modules[absent] = None  # an import of it raises ImportError meanwhile
    try:
        importlib.import_module(module)
    finally:
        if sys.modules.get(absent, 0) is None:
            del sys.modules[absent]
