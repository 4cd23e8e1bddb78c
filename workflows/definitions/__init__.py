"""Procedures as data: one YAML file per procedure, validated, then published as a version.

A published version never changes: a file whose content differs from the latest version
becomes a new version, and running cases keep the version they started with.
"""

from __future__ import annotations

import hashlib
import json
from importlib import import_module
from pathlib import Path

import yaml
from django.db import transaction

DEFINITIONS_DIR = Path(__file__).resolve().parent
DESKS_FILE = DEFINITIONS_DIR / "desks.yaml"
HANDLER_KEYS = ("on_complete", "on_return", "on_reject")


class DefinitionError(ValueError):
    """A definition that cannot be published; the message names the faulty step."""


def import_handler(dotted_path: str):
    module_path, _sep, name = dotted_path.rpartition(".")
    if not module_path:
        raise ImportError(dotted_path)
    return getattr(import_module(module_path), name)


def load_file(path: Path) -> dict:
    with open(path, encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    if not isinstance(spec, dict):
        raise DefinitionError(f"{path.name}: a definition is a mapping with code and steps.")
    return spec


def validate(spec: dict, *, desk_codes: set[str]) -> None:
    """Raise DefinitionError for the first problem found, naming the step."""
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
    for step in steps:
        for prerequisite in step.get("after", []):
            if prerequisite not in seen:
                raise DefinitionError(
                    f"step '{step['id']}': unknown prerequisite '{prerequisite}'"
                )
        if step.get("on_approve"):
            _check_handler(step["on_approve"], where=f"step '{step['id']}'")
    for key in HANDLER_KEYS:
        if spec.get(key):
            _check_handler(spec[key], where=key)
    _check_acyclic(steps)


def _check_handler(dotted_path: str, *, where: str) -> None:
    try:
        import_handler(dotted_path)
    except (ImportError, AttributeError) as error:
        raise DefinitionError(f"{where}: handler '{dotted_path}' does not import") from error


def _check_acyclic(steps: list[dict]) -> None:
    after = {step["id"]: set(step.get("after", [])) for step in steps}
    done: set[str] = set()
    while len(done) < len(after):
        free = [sid for sid, deps in after.items() if sid not in done and deps <= done]
        if not free:
            stuck = sorted(set(after) - done)[0]
            raise DefinitionError(f"step '{stuck}': prerequisites form a cycle")
        done.update(free)


def checksum(spec: dict) -> str:
    canonical = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@transaction.atomic
def sync_desks() -> None:
    from workflows.models import Desk

    with open(DESKS_FILE, encoding="utf-8") as handle:
        for entry in yaml.safe_load(handle):
            Desk.objects.update_or_create(code=entry["code"], defaults={"name": entry["name"]})


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
    """Load the desks and publish every definition file that changed."""
    sync_desks()
    return [
        publish(load_file(path))
        for path in sorted(DEFINITIONS_DIR.glob("*.yaml"))
        if path != DESKS_FILE
    ]
