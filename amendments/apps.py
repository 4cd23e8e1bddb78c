from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AmendmentsConfig(AppConfig):
    name = "amendments"
    verbose_name = _("Vie de l'entreprise : modifications et radiation")

    def ready(self) -> None:
        # One procedure per change type, each with its own definition file, all on the
        # same subject (an Amendment) and handlers.
        from payments.models import Invoice
        from payments.signals import invoice_settled
        from workflows import procedures

        from .changes import CHANGE_TYPES
        from .handlers import HANDLERS
        from .models import Amendment
        from .services import on_invoice_settled

        for change in CHANGE_TYPES.values():
            procedures.register(procedures.Procedure(
                code=change.procedure, definition_file=change.definition_file,
                subject_model=Amendment, handlers=HANDLERS))
        invoice_settled.connect(on_invoice_settled, sender=Invoice,
                                dispatch_uid="amendments.start_instruction")
