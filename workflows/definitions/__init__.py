"""Procedures as data: one YAML file per procedure, validated, then published as a version.

The files belong to the apps that own the procedures and reach the engine through
workflows.procedures.register(); only the desks (the one-stop shop's organisation, shared
by every procedure) are kept here. A published version never changes: a file whose content
differs from the latest version becomes a new version, and running cases keep the version
they started with.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path

import yaml
from django.db import transaction

from .. import procedures

DEFINITIONS_DIR = Path(__file__).resolve().parent
DESKS_FILE = DEFINITIONS_DIR / "desks.yaml"
HANDLER_KEYS = ("on_complete", "on_return", "on_reject", "on_step_approved")


class DefinitionError(ValueError):
    """A definition that cannot be published; the message names the faulty step."""


def load_file(path: Path) -> dict:
    with open(path, encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    if not isinstance(spec, dict):
        raise DefinitionError(f"{path.name}: a definition is a mapping with code and steps.")
    return spec


def registered_handlers(code: str) -> Mapping[str, Callable]:
    """The handlers the procedure's owning app registered (none if it registered nothing)."""
    procedure = procedures.find(code)
    return procedure.handlers if procedure is not None else {}


def validate(spec: dict, *, desk_codes: set[str],
             handlers: Mapping[str, Callable] | None = None) -> None:
    """Raise DefinitionError for the first problem found, naming the step.

    Checked: required keys, duplicate ids, unknown desks, kinds, prerequisites, cycles,
    handlers the procedure did not register (`handlers`, by default those registered for
    the spec's code), desk fields (name, label, pattern, hint), and unreachable steps (a
    condition on a fact the definition does not declare, or on values that fact never
    takes).
    """
    for key in ("code", "title", "steps"):
        if not spec.get(key):
            raise DefinitionError(f"missing '{key}'")
    steps = spec["steps"]
    seen: set[str] = set()
    for step in steps:
        step_id = step.get("id")
        if not step_id:
            raise DefinitionError("a step has no id")
        if step_id in seen:
            raise DefinitionError(f"step '{step_id}': duplicate id")
        seen.add(step_id)
        if step.get("desk") not in desk_codes:
            raise DefinitionError(f"step '{step_id}': unknown desk '{step.get('desk')}'")
        kind = step.get("kind", "manual")
        if kind not in ("manual", "automatic"):
            raise DefinitionError(f"step '{step_id}': unknown kind '{kind}'")
        if kind == "automatic" and not step.get("run"):
            raise DefinitionError(f"step '{step_id}': an automatic step needs 'run'")
        if kind == "manual" and step.get("run"):
            raise DefinitionError(f"step '{step_id}': only an automatic step has 'run'")
        _check_fields(step)
        recheck = step.get("recheck_on", [])
        if not isinstance(recheck, list) or not all(isinstance(x, str) for x in recheck):
            raise DefinitionError(f"step '{step_id}': recheck_on is a list of names")
        if recheck and kind != "automatic":
            raise DefinitionError(f"step '{step_id}': only an automatic step is rechecked")
        _check_condition(step, spec.get("facts", {}))
    if handlers is None:
        handlers = registered_handlers(spec["code"])
    for step in steps:
        for prerequisite in step.get("after", []):
            if prerequisite not in seen:
                raise DefinitionError(
                    f"step '{step['id']}': unknown prerequisite '{prerequisite}'"
                )
        for key in ("run", "on_approve"):
            if step.get(key):
                _check_handler(step[key], handlers, where=f"step '{step['id']}'")
    for key in HANDLER_KEYS:
        if spec.get(key):
            _check_handler(spec[key], handlers, where=key)
    _check_acyclic(steps)


def _check_fields(step: dict) -> None:
    names = set()
    for field in step.get("fields", []):
        if not field.get("name") or not field.get("label"):
            raise DefinitionError(f"step '{step['id']}': a field needs a name and a label")
        if field["name"] in names:
            raise DefinitionError(f"step '{step['id']}': duplicate field '{field['name']}'")
        names.add(field["name"])
        hint = field.get("hint")
        if hint is not None and (not isinstance(hint, str) or not hint.strip()):
            raise DefinitionError(
                f"step '{step['id']}': field '{field['name']}' has an empty or non-text hint"
            )
        if field.get("pattern"):
            try:
                re.compile(field["pattern"])
            except re.error as error:
                raise DefinitionError(
                    f"step '{step['id']}': field '{field['name']}' has a bad pattern"
                ) from error


def _check_condition(step: dict, facts: dict) -> None:
    for fact, values in step.get("when", {}).items():
        if fact not in facts:
            raise DefinitionError(
                f"step '{step['id']}': unreachable, condition on undeclared fact '{fact}'"
            )
        if not set(values) & set(facts[fact]):
            raise DefinitionError(
                f"step '{step['id']}': unreachable, '{fact}' never takes {sorted(values)}"
            )


def _check_handler(name: str, handlers: Mapping[str, Callable], *, where: str) -> None:
    if not isinstance(name, str) or name not in handlers:
        raise DefinitionError(f"{where}: handler '{name}' is not registered by the procedure")


def _check_acyclic(steps: list[dict]) -> None:
    after = {step["id"]: list(step.get("after", [])) for step in steps}
    done: set[str] = set()
    while len(done) < len(after):
        free = [sid for sid, deps in after.items() if sid not in done and set(deps) <= done]
        if not free:
            raise DefinitionError(f"step '{_step_on_cycle(after, done)}': "
                                  "prerequisites form a cycle")
        done.update(free)


def _step_on_cycle(after: dict[str, list[str]], done: set[str]) -> str:
    """Follow blocked prerequisites from any blocked step until one repeats: it is on a cycle."""
    current = next(sid for sid in after if sid not in done)
    visited: list[str] = []
    while current not in visited:
        visited.append(current)
        current = next(dep for dep in after[current] if dep not in done)
    return current


def applies(step: dict, facts: dict) -> bool:
    """Whether a step runs for a subject with these facts (steps without 'when' always do)."""
    return all(facts.get(fact) in values for fact, values in step.get("when", {}).items())


def checksum(spec: dict) -> str:
    canonical = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@transaction.atomic
def sync_desks() -> None:
    from workflows.models import Desk

    with open(DESKS_FILE, encoding="utf-8") as handle:
        for entry in yaml.safe_load(handle):
            policy = entry.get("decide_without_claim", False)
            if not isinstance(policy, bool):
                raise DefinitionError(f"desk '{entry['code']}': decide_without_claim must be "
                                      f"true or false")
            Desk.objects.update_or_create(code=entry["code"], defaults={
                "name": entry["name"], "decide_without_claim": policy})


@transaction.atomic
def publish(spec: dict):
    """Store spec as the next version of its procedure unless the latest is identical."""
    from workflows.models import Desk, WorkflowDefinition

    validate(spec, desk_codes=set(Desk.objects.values_list("code", flat=True)))
    digest = checksum(spec)
    latest = (
        WorkflowDefinition.objects.select_for_update()
        .filter(code=spec["code"])
        .order_by("-version")
        .first()
    )
    if latest and latest.checksum == digest:
        return latest
    return WorkflowDefinition.objects.create(
        code=spec["code"],
        version=(latest.version + 1) if latest else 1,
        title=spec["title"],
        spec=spec,
        checksum=digest,
    )


def sync_all() -> list:
    """Load the desks and publish every registered procedure whose file changed."""
    sync_desks()
    published = []
    for procedure in procedures.registered():
        spec = load_file(procedure.definition_file)
        if spec.get("code") != procedure.code:
            raise DefinitionError(f"{procedure.definition_file.name}: code '{spec.get('code')}' "
                                  f"but registered as '{procedure.code}'")
        published.append(publish(spec))
    return published
