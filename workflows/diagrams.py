"""The case diagram: the definition drawn as SVG, each step styled and labelled by its state.

Drawn from the same definition the engine runs, so the picture cannot drift from it.
Steps are laid out in rows by depth (longest chain of prerequisites), top to bottom,
which reads well on a phone.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import Case, TaskState

BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 200, 58, 24, 36, 12

# Display state -> (fill, stroke, label)
STYLES = {
    "done": ("#cce2d8", "#005a30"),
    "ready": ("#fff7bf", "#594d00"),
    "overdue": ("#f6d7d2", "#942514"),
    "failed": ("#ffffff", "#942514"),
    "waiting": ("#f3f2f1", "#505a5f"),
    "returned": ("#fcd6c3", "#6e3619"),
    "stopped": ("#e5e5e5", "#505a5f"),
    "skipped": ("#ffffff", "#b1b4b6"),
}


def _labels() -> dict[str, str]:
    return {
        "done": _("terminé"),
        "ready": _("en cours"),
        "overdue": _("en retard"),
        "failed": _("✗ contrôle en échec"),
        "waiting": _("en attente"),
        "returned": _("renvoyé"),
        "stopped": _("arrêté"),
        "skipped": _("sans objet"),
    }


def display_state(task) -> str:
    if task is None:
        return "skipped"
    if task.state == TaskState.APPROVED:
        return "done"
    if task.state == TaskState.RETURNED:
        return "returned"
    if task.state in (TaskState.REJECTED, TaskState.CANCELLED):
        return "stopped"
    if task.state == TaskState.WAITING:
        return "waiting"
    if task.state == TaskState.FAILED:
        return "failed"
    return "overdue" if task.is_overdue else "ready"


def _wrap(title: str, width: int = 28) -> list[str]:
    """At most two lines that fit a box; a longer title is cut with an ellipsis."""
    lines: list[str] = []
    for word in title.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > 2:
        lines = [lines[0], (" ".join(lines[1:]))[: width - 1] + "…"]
    return lines


def _depths(steps: list[dict]) -> dict[str, int]:
    depth: dict[str, int] = {}
    for step in steps:  # validated definitions list prerequisites first or not: loop to fix
        depth[step["id"]] = 0
    changed = True
    while changed:
        changed = False
        for step in steps:
            wanted = max((depth[p] + 1 for p in step.get("after", [])), default=0)
            if wanted > depth[step["id"]]:
                depth[step["id"]] = wanted
                changed = True
    return depth


def case_svg(case: Case, tasks=None) -> SafeString:
    steps = case.definition.spec["steps"]
    by_step = {task.step_id: task for task in (tasks if tasks is not None else case.tasks.all())}
    depth = _depths(steps)
    rows: dict[int, list[dict]] = {}
    for step in steps:
        rows.setdefault(depth[step["id"]], []).append(step)
    widest = max(len(row) for row in rows.values())
    width = MARGIN * 2 + widest * BOX_W + (widest - 1) * GAP_X
    height = MARGIN * 2 + len(rows) * BOX_H + (len(rows) - 1) * GAP_Y
    positions: dict[str, tuple[float, float]] = {}
    for level, row in rows.items():
        row_width = len(row) * BOX_W + (len(row) - 1) * GAP_X
        x0 = (width - row_width) / 2
        for index, step in enumerate(row):
            positions[step["id"]] = (x0 + index * (BOX_W + GAP_X), MARGIN + level * (BOX_H + GAP_Y))

    labels = _labels()
    parts = [
        f'<svg viewBox="0 0 {width:.0f} {height:.0f}" '
        f'role="img" aria-labelledby="case-diagram-title" class="case-diagram" '
        f'font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="case-diagram-title">{escape(_("Étapes du dossier"))}</title>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
        'fill="#505a5f"/></marker></defs>',
    ]
    for step in steps:
        x, y = positions[step["id"]]
        for prerequisite in step.get("after", []):
            px, py = positions[prerequisite]
            parts.append(
                f'<line x1="{px + BOX_W / 2:.0f}" y1="{py + BOX_H:.0f}" x2="{x + BOX_W / 2:.0f}" '
                f'y2="{y:.0f}" stroke="#505a5f" stroke-width="1.5" marker-end="url(#arrow)"/>'
            )
    for step in steps:
        x, y = positions[step["id"]]
        state = display_state(by_step.get(step["id"]))
        fill, stroke = STYLES[state]
        lines = _wrap(step.get("title", step["id"]))
        dash = ' stroke-dasharray="4 3"' if state == "skipped" else ""
        # A failed check is told by its thick double-dashed border and its label, not colour.
        width = 4 if state == "failed" else 2
        if state == "failed":
            dash = ' stroke-dasharray="10 3 2 3"'
        parts.append(
            f'<g class="step step-{state}" data-step="{escape(step["id"])}" '
            f'data-state="{state}">'
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="4" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"{dash}/>'
            + "".join(
                f'<text x="{x + BOX_W / 2:.0f}" y="{y + 16 + 13 * index:.0f}" '
                f'text-anchor="middle" font-weight="600">{escape(line)}</text>'
                for index, line in enumerate(lines))
            + f'<text x="{x + BOX_W / 2:.0f}" y="{y + BOX_H - 7:.0f}" text-anchor="middle" '
            f'fill="#1b1b1b" font-size="11">{escape(labels[state])}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text is escaped above
