from django.core.management.base import BaseCommand

from ...services import relay_due


class Command(BaseCommand):
    help = "Send to the broker the background work that is due and not done (the relay)."

    def handle(self, *args, **options):
        sent = relay_due()
        self.stdout.write(f"{sent} message(s) sent")
