from pathlib import Path

from django.apps import AppConfig

TOY_PROCEDURE = "toy_permit"
TOY_DEFINITION_FILE = Path(__file__).resolve().parent / "toy.yaml"


class ToyConfig(AppConfig):
    name = "tests.workflows.toy"
    label = "toy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registered as an owning app does: definition file, subject model, named handlers.
        from workflows import procedures

        from .handlers import HANDLERS
        from .models import Permit

        procedures.register(procedures.Procedure(
            code=TOY_PROCEDURE,
            definition_file=TOY_DEFINITION_FILE,
            subject_model=Permit,
            handlers=HANDLERS,
        ))
