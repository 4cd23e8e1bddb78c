"""The preferences page: the staff section once, in the page, never in its title."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_clerk_sees_the_staff_section_once_and_a_plain_title(client, make_user):
    clerk = make_user("agent-pref@example.tg", desk="guichet")
    client.force_login(clerk)
    html = client.get(reverse("preferences")).content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "<" not in title and "Mes préférences" in title
    ids = Counter(re.findall(r'\bid="([^"]+)"', html))
    assert ids["espace-agents"] == 1
    assert [name for name, count in ids.items() if count > 1] == []
