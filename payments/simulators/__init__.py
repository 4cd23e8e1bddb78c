"""Local stand-ins for the payment providers, speaking their protocols over HTTP.

Nobody can reach the real providers from the test machines or the demo: the tests, the
browser tests and `manage.py run_payment_simulators` use these instead.
"""

from .fedapay import FedaPaySimulator
from .paygate import PayGateSimulator
from .server import ReceivedRequest, Simulator

__all__ = ["FedaPaySimulator", "PayGateSimulator", "ReceivedRequest", "Simulator"]
