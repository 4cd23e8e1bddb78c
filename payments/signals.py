"""What payments tell the rest of the service, without knowing who listens.

invoice_settled is sent inside the transaction that settled the invoice (paid or waived),
so whatever the subject's owner does on it (start the filing's case) commits with it.
"""

from django.dispatch import Signal

# sender=Invoice, invoice=<Invoice>, actor=<user or None>
invoice_settled = Signal()
