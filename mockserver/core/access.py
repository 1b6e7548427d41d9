"""Access to an operation, compiled once from the spec when it loads: which of the operation's
security alternatives a request meets, and the gates the spec declares on the principal the
vendor's `authenticate` hook returns (a scheme allowed only from a plan up, the scopes a
requirement lists, a role or a permission, the operation's plan).

Spec data read here (docs/spec-conventions.md):
- the operation's `security` (standard OpenAPI): a list of alternatives, each one scheme with
  the scopes it requires (`[{bearer: [contacts:read]}, {session: []}]`); `{}` admits anyone;
- `x-sandbox-scopes: {covers: {HELD: [GLOB, ...]}, refusal}`: a held scope covers itself and
  every required scope matching one of its globs;
- `x-sandbox-schemes: {wrong_scheme: REFUSAL}`: a credential only of a scheme the operation
  does not accept;
- `x-sandbox-plans: {order: [LOW, ..., HIGH], refusal, schemes: {SCHEME: PLAN}}` and the
  operation's `x-sandbox-plan: PLAN` (that plan or a higher one);
- `x-sandbox-roles: {all_permissions: [ROLE], refusal, roles?: [ROLE], permissions?: [NAME]}`
  and the operation's `x-sandbox-access` as a mapping, `{role: ROLE | [ROLE]}` or
  `{permission: NAME}`. The string form (`x-sandbox-access: full`) is the vendor's own
  `authorize` hook's to judge (core.pipeline.authorize).
A REFUSAL is `{status, code?, message?}`; code and message each come from it or else from
`x-sandbox-errors.core.<kind>` (kinds: ACCESS_ERROR_KINDS). A message may name `{scope}`,
`{plan}`, `{role}`, `{permission}` or `{scheme}`.

The principal's attrs these gates read: `scopes` (a list; None or absent = not limited by
scope, a session), `plan`, `role`, `permissions` (the names a custom role grants).

Refusal order (the first that applies answers):
 1. no credential of any scheme the operation accepts -> the vendor's missing-credential 401
    (its authenticate hook, given the absent credential of the first alternative);
 2. a credential only of a scheme the operation does not accept -> `wrong_scheme`;
 3. a bad credential -> the vendor's 401 (its authenticate hook);
 4. the matched scheme's plan gate (`x-sandbox-plans.schemes`) -> the plans refusal;
 5. a required scope no held scope covers -> the scopes refusal;
 6. the role or permission the operation asks -> the roles refusal;
 7. the operation's plan (`x-sandbox-plan`) -> the plans refusal.
Steps 1-3 are `authenticate`, 4-7 `check`; the pipeline then applies the rate limit (429) and
the vendor's `authorize` hook.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any, Callable, Mapping

from .auth import Credential
from .errors import SandboxError
from .spec import security_schemes

# x-sandbox-errors.core kinds of the refusals compiled here; each is needed only by a spec that
# uses its style.
ACCESS_ERROR_KINDS = {"wrong_scheme": "x-sandbox-schemes.wrong_scheme",
                      "forbidden_scope": "x-sandbox-scopes.refusal",
                      "plan": "x-sandbox-plans.refusal",
                      "role": "x-sandbox-roles.refusal"}
ROOT_KEYS = {"x-sandbox-scopes": {"covers", "refusal"},
             "x-sandbox-schemes": {"wrong_scheme"},
             "x-sandbox-plans": {"order", "refusal", "schemes"},
             "x-sandbox-roles": {"all_permissions", "refusal", "roles", "permissions"}}


class AccessSpecError(ValueError):
    """The spec's access data cannot be compiled; the message names the culprit."""


@dataclass(frozen=True)
class Refusal:
    status: int
    code: str
    message: str

    def error(self, **names: Any) -> SandboxError:
        message = self.message
        for name, value in names.items():
            message = message.replace("{" + name + "}", str(value))
        return SandboxError(self.status, self.code, message)


@dataclass(frozen=True)
class Rules:
    """The document's access data, shared by all its operations."""
    covers: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    scope_refusal: Refusal | None = None
    wrong_scheme: Refusal | None = None
    plans: tuple[str, ...] = ()
    plan_refusal: Refusal | None = None
    scheme_plans: Mapping[str, str] = dataclasses.field(default_factory=dict)
    all_permissions: frozenset[str] = frozenset()
    role_refusal: Refusal | None = None

    def covered(self, held, required: str) -> bool:
        return any(h == required or any(fnmatchcase(required, glob)
                                        for glob in self.covers.get(h, ()))
                   for h in held)

    def below(self, attrs: Mapping, plan: str) -> bool:
        """The principal's plan is lower than `plan` in the spec's order."""
        have = attrs.get("plan")
        if have not in self.plans:
            raise RuntimeError(f"the principal's plan {have!r} is not one of "
                               f"x-sandbox-plans.order {list(self.plans)}")
        return self.plans.index(have) < self.plans.index(plan)


@dataclass(frozen=True)
class Alternative:
    scheme: str | None           # None: `{}`, anyone may call
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class OperationAccess:
    rules: Rules
    alternatives: tuple[Alternative, ...] = ()
    others: tuple[str, ...] = ()          # declared schemes the operation does not accept
    roles: frozenset[str] | None = None   # x-sandbox-access: {role: ...}
    permission: str | None = None         # x-sandbox-access: {permission: ...}
    plan: str | None = None               # x-sandbox-plan
    hook: str | None = None               # x-sandbox-access: NAME, for the vendor's hook

    @property
    def secured(self) -> bool:
        return bool(self.alternatives)

    def authenticate(self, read: Callable[[str], Credential],
                     judge: Callable[[Credential], Any]) -> tuple[str | None, Any]:
        """Steps 1-3: (the matched scheme, the principal `judge` returns for its credential),
        or (None, None) when nothing was sent and the operation admits anyone. `read(name)`
        reads the named scheme's credential off the request; `judge` is the vendor's hook."""
        sent = [(alt.scheme, read(alt.scheme)) for alt in self.alternatives if alt.scheme]
        present = [(name, c) for name, c in sent if c.present]
        chosen = next(((n, c) for n, c in present if not c.malformed),
                      present[0] if present else None)
        if chosen is None:
            if any(alt.scheme is None for alt in self.alternatives):
                return None, None
            if self.rules.wrong_scheme is not None:
                for name in self.others:
                    credential = read(name)
                    if credential.present and not credential.malformed:
                        raise self.rules.wrong_scheme.error(scheme=name)
            chosen = sent[0]
        name, credential = chosen
        return name, judge(credential)

    def check(self, scheme: str | None, principal) -> None:
        """Steps 4-7 on the principal `authenticate` gave for `scheme`."""
        rules, attrs = self.rules, principal.attrs
        gate = rules.scheme_plans.get(scheme)
        if gate is not None and rules.below(attrs, gate):
            raise rules.plan_refusal.error(plan=gate, scheme=scheme)
        held = attrs.get("scopes")
        if held is not None:
            options = [alt.scopes for alt in self.alternatives if alt.scheme == scheme]
            if not any(all(rules.covered(held, s) for s in scopes) for scopes in options):
                lacking = next(s for s in options[0] if not rules.covered(held, s))
                raise rules.scope_refusal.error(scope=lacking, scheme=scheme)
        if self.roles is not None and attrs.get("role") not in self.roles:
            raise rules.role_refusal.error(role=" or ".join(sorted(self.roles)))
        if self.permission is not None and attrs.get("role") not in rules.all_permissions \
                and self.permission not in (attrs.get("permissions") or ()):
            raise rules.role_refusal.error(permission=self.permission)
        if self.plan is not None and rules.below(attrs, self.plan):
            raise rules.plan_refusal.error(plan=self.plan)


# -- compiling -------------------------------------------------------------------------------
def compile_rules(document: dict) -> Rules:
    """The document's access data, checked: an unknown key, a refusal without its status,
    code or message, a plan gate naming an unknown scheme or plan each fail, named."""
    for root, keys in ROOT_KEYS.items():
        block = document.get(root)
        if block is None:
            continue
        if not isinstance(block, dict):
            raise AccessSpecError(f"{root} must be a mapping")
        unknown = sorted(set(block) - keys)
        if unknown:
            raise AccessSpecError(f"{root}: unknown key(s) {unknown}; known: {sorted(keys)}")
    scopes = document.get("x-sandbox-scopes") or {}
    plans = document.get("x-sandbox-plans") or {}
    roles = document.get("x-sandbox-roles") or {}
    schemes = (document.get("x-sandbox-schemes") or {})
    covers = {}
    for held, globs in (scopes.get("covers") or {}).items():
        if not isinstance(globs, list) or not all(isinstance(g, str) for g in globs):
            raise AccessSpecError(f"x-sandbox-scopes.covers.{held} must be a list of globs")
        covers[str(held)] = tuple(globs)
    order = plans.get("order") or []
    if plans and (not isinstance(order, list) or not order or len(set(order)) != len(order)):
        raise AccessSpecError("x-sandbox-plans.order must list the plans, lowest first, "
                              "each once")
    declared = security_schemes(document)
    scheme_plans = {}
    for scheme, plan in (plans.get("schemes") or {}).items():
        if scheme not in declared:
            raise AccessSpecError(f"x-sandbox-plans.schemes: {scheme!r} is not a security "
                                  f"scheme of the spec ({sorted(declared)})")
        scheme_plans[scheme] = _plan(plan, order, f"x-sandbox-plans.schemes.{scheme}")
    return Rules(
        covers=covers,
        scope_refusal=_refusal(document, "forbidden_scope", scopes, "refusal"),
        wrong_scheme=_refusal(document, "wrong_scheme", schemes, "wrong_scheme"),
        plans=tuple(order),
        plan_refusal=_refusal(document, "plan", plans, "refusal"),
        scheme_plans=scheme_plans,
        all_permissions=frozenset(roles.get("all_permissions") or ()),
        role_refusal=_refusal(document, "role", roles, "refusal"))


def compile_operation(document: dict, rules: Rules, op) -> OperationAccess:
    """One operation's access, checked against the document's data; AccessSpecError names the
    operation and what is wrong with it."""
    where = f"{op.method} {op.path} ({op.operation_id})"
    declared = security_schemes(document)
    alternatives = []
    for requirement in op.security or ():
        if not isinstance(requirement, dict) or len(requirement) > 1:
            raise AccessSpecError(f"{where}: each security alternative names one scheme "
                                  f"(several together are not supported): {requirement!r}")
        for scheme, scopes in requirement.items():
            if scheme not in declared:
                raise AccessSpecError(f"{where}: security scheme {scheme!r} is not declared "
                                      f"in components.securitySchemes")
            scopes = tuple(scopes or ())
            if scopes and rules.scope_refusal is None:
                raise AccessSpecError(f"{where}: requires scopes {list(scopes)} but the spec "
                                      "has no x-sandbox-scopes.refusal")
            alternatives.append(Alternative(scheme, scopes))
        if not requirement:
            alternatives.append(Alternative(None))
    if alternatives == [Alternative(None)]:
        alternatives = []  # only `{}`: nothing to check
    accepted = {alt.scheme for alt in alternatives}
    access = OperationAccess(rules, tuple(alternatives),
                             tuple(s for s in declared if s not in accepted))
    requirement = op.spec.get("x-sandbox-access")
    plan = op.spec.get("x-sandbox-plan")
    if (requirement is not None or plan is not None) and not access.secured:
        raise AccessSpecError(f"{where}: x-sandbox-access and x-sandbox-plan need a security "
                              "requirement (there is no principal to judge)")
    if plan is not None:
        if rules.plan_refusal is None:
            raise AccessSpecError(f"{where}: x-sandbox-plan needs x-sandbox-plans at the root")
        access = dataclasses.replace(access, plan=_plan(plan, rules.plans,
                                                        f"{where}: x-sandbox-plan"))
    if isinstance(requirement, str):
        return dataclasses.replace(access, hook=requirement)
    if requirement is None:
        return access
    return _role_gate(document, rules, access, requirement, where)


def _role_gate(document: dict, rules: Rules, access: OperationAccess, requirement,
               where: str) -> OperationAccess:
    if not isinstance(requirement, dict) or len(requirement) != 1 \
            or not set(requirement) <= {"role", "permission"}:
        raise AccessSpecError(f"{where}: x-sandbox-access is a name (for the vendor's hook), "
                              f"{{role: ROLE}} or {{permission: NAME}}, not {requirement!r}")
    if rules.role_refusal is None:
        raise AccessSpecError(f"{where}: x-sandbox-access {requirement!r} needs "
                              "x-sandbox-roles at the root")
    roles_doc = document.get("x-sandbox-roles") or {}
    if "role" in requirement:
        wanted = requirement["role"]
        wanted = [wanted] if isinstance(wanted, str) else list(wanted or ())
        known = set(rules.all_permissions) | set(roles_doc.get("roles") or ())
        unknown = [r for r in wanted if r not in known]
        if not wanted or unknown:
            raise AccessSpecError(f"{where}: x-sandbox-access role(s) {unknown or wanted} not "
                                  f"among x-sandbox-roles ({sorted(known)})")
        return dataclasses.replace(access, roles=frozenset(wanted))
    permission = requirement["permission"]
    listed = roles_doc.get("permissions")
    if not isinstance(permission, str) or (listed is not None and permission not in listed):
        raise AccessSpecError(f"{where}: x-sandbox-access permission {permission!r} is not "
                              f"among x-sandbox-roles.permissions ({listed})")
    return dataclasses.replace(access, permission=permission)


def compile_access(document: dict, ops: list) -> list:
    """The operations with their compiled `access`."""
    rules = compile_rules(document)
    return [dataclasses.replace(op, access=compile_operation(document, rules, op))
            for op in ops]


def _plan(plan, order, where: str) -> str:
    if plan not in order:
        raise AccessSpecError(f"{where}: plan {plan!r} is not in x-sandbox-plans.order "
                              f"({list(order)})")
    return plan


def _refusal(document: dict, kind: str, block: dict, key: str) -> Refusal | None:
    if not block:
        return None
    where = ACCESS_ERROR_KINDS[kind]
    given = block.get(key)
    if not isinstance(given, dict) or not set(given) <= {"status", "code", "message"}:
        raise AccessSpecError(f"{where} must be a mapping of status, code and message")
    fallback = ((document.get("x-sandbox-errors") or {}).get("core") or {}).get(kind) or {}
    status = given.get("status")
    if not isinstance(status, int) or not 400 <= status < 500:
        raise AccessSpecError(f"{where}.status must be a 4xx status, not {status!r}")
    missing = [k for k in ("code", "message") if given.get(k, fallback.get(k)) is None]
    if missing:
        raise AccessSpecError(f"{where} needs {' and '.join(missing)} (in it, or in "
                              f"x-sandbox-errors.core.{kind})")
    return Refusal(status, str(given.get("code", fallback.get("code"))),
                   str(given.get("message", fallback.get("message"))))
