"""Payments' pages: the payer's (applicant), the providers' notifications (provider) and
the counter's (counter, back office)."""
