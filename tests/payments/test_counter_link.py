"""The counter link in the layout: for cashiers and for the staff who may waive a fee, read
from what the request already knows, without asking for an entrepreneur's permissions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

COUNTER_LINK = 'href="/guichet/caisse/"'


def page_of(client, user, url: str = "/"):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in queries.captured_queries]


def test_the_link_path_is_the_counter():
    assert f'href="{reverse("payments:counter")}"' == COUNTER_LINK


def test_a_cashier_sees_the_counter_link(client, make_user):
    html, _ = page_of(client, make_user("caissier@cfe.example.tg", desk="caisse"))
    assert COUNTER_LINK in html


def test_a_clerk_who_may_waive_a_fee_sees_it(client, make_user):
    clerk = make_user("exoneration@cfe.example.tg", desk="guichet")
    clerk.user_permissions.add(Permission.objects.get(codename="waive_invoice",
                                                      content_type__app_label="payments"))
    html, _ = page_of(client, clerk)
    assert COUNTER_LINK in html


def test_a_clerk_of_another_desk_does_not(client, make_user):
    html, _ = page_of(client, make_user("agent@cfe.example.tg", desk="guichet"))
    assert COUNTER_LINK not in html


@pytest.mark.parametrize("url", ["/", "/dossiers/"])
def test_an_entrepreneur_neither_sees_it_nor_costs_permission_queries(client, entrepreneur,
                                                                      url):
    html, queries = page_of(client, entrepreneur, url)
    assert COUNTER_LINK not in html
    assert not [sql for sql in queries if "auth_permission" in sql]
    # The desks the user works at are read once for the whole page (access, layout).
    assert len([sql for sql in queries if "workflows_desk" in sql]) <= 1
