"""Back-office screens, one module per screen family: queue, tasks, dashboard, supervision."""

from .dashboard import dashboard
from .queue import queue, take_next
from .supervision import (
    member_absence,
    member_second_factor,
    my_absence,
    supervision,
    supervision_index,
    supervision_task_action,
)
from .tasks import task_action, task_detail

__all__ = [
    "dashboard",
    "member_absence",
    "member_second_factor",
    "my_absence",
    "queue",
    "supervision",
    "supervision_index",
    "supervision_task_action",
    "take_next",
    "task_action",
    "task_detail",
]
