from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Registre du commerce")

    def ready(self) -> None:
        # The register owns company creation: it tells the engine the definition file,
        # the subject (a filing) and the handlers the definition names.
        from payments.models import Invoice
        from payments.signals import invoice_settled
        from workflows import procedures

        from .handlers import HANDLERS
        from .models import Application
        from .procedures import COMPANY_CREATION, COMPANY_CREATION_FILE

        procedures.register(procedures.Procedure(
            code=COMPANY_CREATION,
            definition_file=COMPANY_CREATION_FILE,
            subject_model=Application,
            handlers=HANDLERS,
        ))
        # A filing's fee settled (paid or waived): its case starts.
        from .services.submission import on_invoice_settled

        invoice_settled.connect(on_invoice_settled, sender=Invoice,
                                dispatch_uid="registry.start_instruction")
