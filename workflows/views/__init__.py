"""Back-office screens, one module per screen family: queue, tasks, dashboard."""

from .dashboard import dashboard
from .queue import queue, take_next
from .tasks import task_action, task_detail

__all__ = ["dashboard", "queue", "take_next", "task_action", "task_detail"]
