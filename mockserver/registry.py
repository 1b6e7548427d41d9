"""Finding vendors, loading their specs, binding views to operationIds.

An operation in a spec without a view of the same name stops start-up with the full list of
what is missing; so does a view without an operation.
"""
from __future__ import annotations

import importlib
import pkgutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import vendors as vendors_pkg
from .core.access import AccessSpecError, compile_access
from .core.capture import Masking
from .core.spec import (Operation, apply_sandbox_rules, load_document, operations,
                        security_schemes)
from .core.unserved import is_unserved, unserved_view
from .core.validation import OperationValidator, build_validators
from .core.vendor import Vendor, with_spec_errors


class RegistryError(RuntimeError):
    pass


class UnknownVendor(RegistryError):
    """A vendor was asked for that no package provides."""


def data_dir(kind: str) -> Path:
    """`specs` or `seed_data`: beside the package in a checkout, or where the wheel put them."""
    here = Path(__file__).resolve().parent.parent / kind
    if here.is_dir():
        return here
    installed = Path(sys.prefix) / "share" / "vendor-api-sandbox" / kind
    if installed.is_dir():
        return installed
    raise RegistryError(f"cannot find the {kind}/ folder (looked in {here} and {installed})")


def available_vendors() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(vendors_pkg.__path__) if m.ispkg)


@dataclass
class VendorRuntime:
    """A vendor as served: its descriptor, spec, operations, validators and bound views."""
    vendor: Vendor
    document: dict
    operations: list[Operation]
    validators: dict[str, OperationValidator]
    views: dict[str, Callable]
    schemes: dict[str, dict]
    array_params: dict[str, tuple[str, ...]] = field(default_factory=dict)
    masking: Masking = field(default_factory=Masking)  # the journal's secret names, from the spec

    @property
    def name(self) -> str:
        return self.vendor.name

    @property
    def case_insensitive(self) -> bool:
        return bool(self.document.get("x-sandbox-case-insensitive-paths"))


@dataclass(frozen=True)
class VendorSource:
    """A vendor given directly rather than found on disk (tests use tiny vendors of their own)."""
    module: object
    document: dict
    seed: dict


def load_vendor(name: str, source: VendorSource | None = None) -> VendorRuntime:
    module = source.module if source else importlib.import_module(f"{vendors_pkg.__name__}.{name}")
    vendor: Vendor = module.VENDOR
    document = apply_sandbox_rules(source.document if source else
                                   load_document(data_dir("specs") / f"{name}.yaml"))
    try:
        vendor = with_spec_errors(vendor, document)
    except ValueError as exc:
        raise RegistryError(f"{name}: {exc}") from None
    try:
        ops = compile_access(document, operations(document))
    except AccessSpecError as exc:
        raise RegistryError(f"{name}: {exc}") from None
    hooked = sorted(op.operation_id for op in ops if op.access.hook is not None)
    if hooked and vendor.authorize is None:
        raise RegistryError(f"{name}: x-sandbox-access names a requirement for the vendor's "
                            f"authorize hook, and it has none: {hooked}")
    views = {}
    missing = []
    served_marked = []
    for op in ops:
        view = getattr(vendor.routes, op.operation_id, None)
        if is_unserved(op.spec):
            if callable(view):
                served_marked.append(op.operation_id)
            views[op.operation_id] = unserved_view(document, op.operation_id)
        elif callable(view):
            views[op.operation_id] = view
        else:
            missing.append(f"{op.method} {op.path} ({op.operation_id})")
    if served_marked:
        raise RegistryError(f"{name}: operations marked x-sandbox-unserved have a view; remove "
                            f"the mark: {sorted(served_marked)}")
    if missing:
        raise RegistryError(f"{name}: operations without a view in "
                            f"{vendor.routes.__name__}: " + "; ".join(missing))
    declared = getattr(vendor.routes, "__all__", None)
    if declared:
        unbound = sorted(set(declared) - {op.operation_id for op in ops
                                          if not is_unserved(op.spec)})
        if unbound:
            raise RegistryError(f"{name}: views without an operation in the spec: {unbound}")
    arrays = {op.operation_id: _array_params(document, op) for op in ops}
    return VendorRuntime(vendor, document, ops, build_validators(document, ops), views,
                         security_schemes(document), arrays, Masking.from_spec(document))


def _array_params(document: dict, op: Operation) -> tuple[str, ...]:
    names = []
    for param in list(op.path_item.get("parameters", [])) + list(op.spec.get("parameters", [])):
        if "$ref" in param:
            param = _resolve(document, param["$ref"])
        schema = param.get("schema", {})
        if "$ref" in schema:
            schema = _resolve(document, schema["$ref"])
        if param.get("in") == "query" and schema.get("type") == "array":
            names.append(param["name"])
    return tuple(names)


def _resolve(document: dict, ref: str) -> dict:
    node = document
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node
