"""What the register tells others (partner notifications...) without knowing who listens.

Sent inside the transaction that made the change, so a receiver's writes (an outbox row)
commit with it.
"""

from django.dispatch import Signal

# sender=Company, company=<Company>: a company went on the register.
company_registered = Signal()
