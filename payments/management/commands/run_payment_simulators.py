"""Serve the FedaPay and PayGate simulators in the foreground, for `make run`'s demo.

They listen where settings.PAYMENT_PROVIDERS says the providers are, and post their
notifications to this site's notification view (the real providers' addresses are set in
each merchant account): --site-url says where the site runs.
"""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from ...simulators import FedaPaySimulator, PayGateSimulator, Simulator


def _address(code: str) -> tuple[str, int]:
    url = urlsplit(settings.PAYMENT_PROVIDERS[code]["BASE_URL"])
    if url.scheme != "http" or not url.hostname or not url.port:
        raise CommandError(f"{code} BASE_URL must be http://<host>:<port> to be simulated")
    return url.hostname, url.port


class Command(BaseCommand):
    help = "Run the payment provider simulators (FedaPay, PayGate) for the local demo."
    # A stand-alone server: the site's own checks are runserver's business.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--site-url", default="http://127.0.0.1:8000",
                            help="Where the site runs (default: %(default)s).")
        parser.add_argument("--fedapay-webhook-url", default="",
                            help="Where FedaPay's webhooks go (default: the site's view).")
        parser.add_argument("--paygate-callback-url", default="",
                            help="Where PayGate's callbacks go (default: the site's view).")

    def handle(self, *args, **options):
        # They approve any payment on request: never let them stand in for a real provider.
        if not settings.DEBUG:
            raise CommandError("The payment simulators only run with DEBUG on.")
        site = options["site_url"].rstrip("/")
        webhook_url = options["fedapay_webhook_url"] or site + reverse(
            "payments:notification", kwargs={"channel": "fedapay"})
        callback_url = options["paygate_callback_url"] or site + reverse(
            "payments:notification", kwargs={"channel": "paygate"})
        fedapay = settings.PAYMENT_PROVIDERS["fedapay"]
        paygate = settings.PAYMENT_PROVIDERS["paygate"]
        (fedapay_host, fedapay_port), (paygate_host, paygate_port) = (
            _address("fedapay"), _address("paygate"))
        simulators: list[Simulator] = [
            FedaPaySimulator(
                host=fedapay_host, port=fedapay_port,
                secret_key=fedapay["SECRET_KEY"], webhook_secret=fedapay["WEBHOOK_SECRET"],
                webhook_url=webhook_url,
            ),
            PayGateSimulator(
                host=paygate_host, port=paygate_port, auth_token=paygate["AUTH_TOKEN"],
                callback_url=callback_url,
            ),
        ]
        try:
            for simulator in simulators:
                simulator.start()
                self.stdout.write(f"{simulator.name} simulator on {simulator.base_url}")
            self.stdout.write(f"Notifications to {webhook_url} and {callback_url}")
            threading.Event().wait()  # until Ctrl-C
        except OSError as error:  # the port is taken, most likely
            raise CommandError(f"Cannot start the simulators: {error}") from error
        except KeyboardInterrupt:
            pass
        finally:
            for simulator in simulators:
                simulator.stop()
