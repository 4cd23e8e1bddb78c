from pathlib import Path

from django.apps import AppConfig

KILL_TEST = "kill_test"
KILL_TEST_FILE = Path(__file__).resolve().parent / "kill_test.yaml"


class KillableConfig(AppConfig):
    """A one-step procedure whose check stalls, for the worker-killed test (test settings
    only): the worker process registers it as every process registers its procedures."""

    name = "tests.integration.killable"
    label = "killable"

    def ready(self) -> None:
        from tests.workflows.toy.models import Permit
        from workflows import procedures

        from .checks import slow_then_fast

        procedures.register(procedures.Procedure(
            code=KILL_TEST, definition_file=KILL_TEST_FILE, subject_model=Permit,
            handlers={"slow_then_fast": slow_then_fast}))
