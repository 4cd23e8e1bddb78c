"""Amounts in FCFA as people write them: "1 000 000 FCFA" in French, "1,000,000 FCFA" in
English (the language's own grouping), always whole francs."""

from __future__ import annotations

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

register = template.Library()


@register.filter
def fcfa(amount) -> str:
    if amount is None or amount == "":
        return ""
    return f"{intcomma(int(amount))}\u00a0FCFA"
