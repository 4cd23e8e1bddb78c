"""Who may file for a company: its owner and the accounts the owner authorised."""

from __future__ import annotations

from django.urls import reverse

from amendments import access
from amendments.models import Amendment, AuthorisedFiler

from .helpers import file, open_amendment


def test_another_user_sees_nothing(client, company, entrepreneur, other_entrepreneur):
    client.force_login(entrepreneur)
    amendment = open_amendment(client, company, "name")
    client.force_login(other_entrepreneur)
    for url in (reverse("amendments:start", args=[company.application.reference]),
                reverse("amendments:filers", args=[company.application.reference]),
                amendment.get_absolute_url(),
                reverse("amendments:edit", args=[amendment.reference])):
        assert client.get(url).status_code == 404
    assert client.post(reverse("amendments:start", args=[company.application.reference]),
                       {"change_type": "capital"}).status_code == 404
    assert Amendment.objects.count() == 1


def test_an_authorised_manager_may_file_but_not_authorise(client, company, entrepreneur,
                                                         other_entrepreneur):
    client.force_login(entrepreneur)
    response = client.post(reverse("amendments:filers", args=[company.application.reference]),
                           {"email": other_entrepreneur.email})
    assert response.status_code == 302
    assert AuthorisedFiler.objects.filter(company=company, user=other_entrepreneur).exists()
    assert access.may_file_for(other_entrepreneur, company)

    client.force_login(other_entrepreneur)
    amendment = file(client, company, other_entrepreneur, "name", {"name": "Éléphant Vert"})
    assert amendment.filer == other_entrepreneur
    assert client.get(reverse("amendments:filers",
                              args=[company.application.reference])).status_code == 404
    # The owner sees the filing made for the company.
    client.force_login(entrepreneur)
    assert client.get(amendment.get_absolute_url()).status_code == 200


def test_the_owner_withdraws_an_authorisation(client, company, entrepreneur,
                                             other_entrepreneur):
    AuthorisedFiler.objects.create(company=company, user=other_entrepreneur,
                                   granted_by=entrepreneur)
    client.force_login(entrepreneur)
    client.post(reverse("amendments:filers", args=[company.application.reference]),
                {"remove": str(other_entrepreneur.pk)})
    assert not access.may_file_for(other_entrepreneur, company)


def test_the_company_page_links_to_its_amendments(client, company, entrepreneur):
    client.force_login(entrepreneur)
    html = client.get(company.application.get_absolute_url()).content.decode()
    assert reverse("amendments:start", args=[company.application.reference]) in html
