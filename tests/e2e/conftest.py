# The browser journeys pay through the providers' simulators.
from ..payments.simulators import fedapay_simulator, paygate_simulator  # noqa: F401
