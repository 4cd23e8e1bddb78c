"""An entrepreneur files a SARL in a real browser (Debian's Chromium) on a 360 px phone.

Skipped only where Chromium is not installed; CI installs it.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from payments.selectors import invoice_of
from registry.models import Application, ApplicationState
from registry.templatetags.money import fcfa

from .browser import (
    PASSWORD,
    Journey,
    accessible,
    fits_the_phone,
    needs_chromium,
    open_link,
    small_pdf,
    spaced,
    submit,
)

pytestmark = needs_chromium


@pytest.fixture
def journey(live_server):
    return Journey("depot-sarl", "phone", live_server.url)


@pytest.fixture
def page(chromium, journey):
    page = journey.page(chromium)
    yield page
    page.context.close()


@pytest.fixture
def shot(journey):
    return journey.shot


def test_an_entrepreneur_files_a_sarl_on_a_phone(page, live_server, tmp_path, transactional_db,
                                                 fedapay_simulator, settings, journey,
                                                 shot):
    base = live_server.url
    settings.SITE_URL = base  # the provider sends the payer back here
    fedapay_simulator.webhook_url = base + reverse("payments:notification", args=["fedapay"])
    page.goto(base + "/")
    assert page.locator("html").get_attribute("lang") == "fr"
    fits_the_phone(page)
    accessible(page)
    shot(page, "01-accueil")

    # Sign up and verify the e-mail address.
    page.click("text=Créer un compte pour commencer")
    page.fill("input[name=first_name]", "Awa")
    page.fill("input[name=last_name]", "Koffi")
    page.fill("input[name=email]", "awa.koffi@example.tg")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    link = re.search(r"https?://[^/\s]+(/comptes/confirm-email/\S+/)", mail.outbox[-1].body)
    page.goto(base + link.group(1))
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    # Open a filing and fill each section from the task list.
    page.goto(base + "/dossiers/nouveau/")
    page.check("input[name=legal_form][value=SARL]")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "À faire" in page.content()
    fits_the_phone(page)
    accessible(page)
    shot(page, "02-liste-des-taches")

    open_link(page, "Dénomination")
    page.fill("#id_name_1", "Awa Couture")
    page.wait_for_selector("#name-check-name_1 .name-check")  # the name check answers as one types
    assert "disponible" in page.inner_text("#name-check-name_1").lower()
    fits_the_phone(page)
    accessible(page)
    shot(page, "03-denomination")
    submit(page)

    open_link(page, "Activité")
    page.fill("#activity-search", "vêtements")
    page.wait_for_selector("#activity-results button")
    page.locator("#activity-results button[data-activity='14']").click()
    assert page.input_value("#id_activity_code") == "14"
    page.fill("#id_business_purpose", "Confection et vente de vêtements sur mesure.")
    submit(page)

    open_link(page, "Siège social")
    page.select_option("#id_region", "maritime")
    page.select_option("#id_prefecture", "golfe")
    page.fill("#id_city", "Lomé")
    page.fill("#id_registered_office", "Rue des Cocotiers, Bè")
    submit(page)

    open_link(page, "Capital et parts")
    page.fill("#id_capital", "500000")
    page.fill("#id_share_count", "100")
    page.fill("#id_share_nominal", "4000")  # 100 x 4 000 is not 500 000
    submit(page)
    # The error is in French, tied to its field, and the page stays accessible.
    nominal = page.locator("#id_share_nominal")
    assert nominal.get_attribute("aria-invalid") == "true"
    described = nominal.get_attribute("aria-describedby") or ""
    error_ids = [part for part in described.split() if "error" in part]
    assert error_ids and "font 400" in page.inner_text(f"#{error_ids[0]}")
    accessible(page)
    shot(page, "03b-capital-erreur")
    page.fill("#id_share_nominal", "5000")
    submit(page)

    page.click("text=Personnes")
    page.click("text=Ajouter une personne")
    page.check("input[name=kind][value=natural]")
    page.check("input[name=roles][value=partner]")
    page.check("input[name=roles][value=manager]")
    page.check("input[name=roles][value=beneficial_owner]")
    page.fill("#id_first_name", "Awa")
    page.fill("#id_last_name", "Koffi")
    page.fill("#id_birth_date", "1990-05-12")
    page.fill("#id_id_document_number", "TG-CNI-7654321")
    page.fill("#id_address", "Rue des Cocotiers, Bè, Lomé")
    page.fill("#id_shares", "100")
    page.fill("#id_cash_contribution", "500000")
    page.fill("#id_ownership_percent", "100")
    fits_the_phone(page)
    accessible(page)
    submit(page)
    assert "Awa KOFFI" in page.content()

    # Upload every document the checklist asks for now.
    page.goto(page.url.replace("/personnes/", "/pieces/"))
    fits_the_phone(page)
    accessible(page)
    codes = page.eval_on_selector_all("form.upload input[name=requirement]",
                                      "inputs => inputs.map(input => input.value)")
    assert len(codes) >= 4  # statutes, seat, identity and sworn statement of the manager
    for code in codes:
        card = page.locator(f".card:has(input[value='{code}'])")
        card.locator("input[type=file]").set_input_files(str(small_pdf(tmp_path, "piece")))
        card.locator("button[type=submit]").click()
        # htmx swaps the page in place: wait for this line to say the file arrived.
        page.locator(f".card:has(input[value='{code}'])").get_by_text("Reçue").wait_for()
    shot(page, "04-pieces")

    # Check the answers, sign with the code sent by e-mail.
    application = Application.objects.get(company_name="Awa Couture")
    page.goto(f"{base}/dossiers/{application.reference}/verifier/")
    assert "Le dossier ne peut pas encore être signé" not in page.content()
    fits_the_phone(page)
    accessible(page)
    shot(page, "05-verifier")
    page.check("#id_accept")
    with page.expect_navigation():
        page.click("text=Recevoir le code de signature")
    code = re.search(r"(\d{6})", mail.outbox[-1].subject).group(1)
    page.fill("#id_code", code)
    page.click("text=Signer et envoyer le dossier")
    # Signed, the filing owes its fee: the status page says how much and where to pay.
    page.wait_for_selector("text=Dossier signé. Réglez les frais : il sera transmis aux "
                           "services dès le paiement reçu.")
    fits_the_phone(page)
    accessible(page)
    shot(page, "06-suivi-frais")

    application.refresh_from_db()
    assert application.state == ApplicationState.PENDING_PAYMENT
    assert application.signatures.count() == 1
    invoice = invoice_of(application)
    status = spaced(page.inner_text("main"))
    assert spaced(fcfa(invoice.amount)) in status and invoice.number in status
    pay_link = page.get_by_role("link", name="Payer les frais")
    assert pay_link.get_attribute("href") == reverse("payments:invoice",
                                                      args=[invoice.number])

    # Pay online: the invoice page, FedaPay, the provider's own page (the simulator, on
    # another origin), back to the filing once the signed webhook has been received.
    open_link(page, "Payer les frais")
    assert invoice.number in page.inner_text("h1")
    fits_the_phone(page)
    accessible(page)
    shot(page, "07-facture")
    page.check("input[name=channel][value=fedapay]")
    submit(page)
    journey.allow(fedapay_simulator.base_url)
    open_link(page, "Continuer vers la page de paiement sécurisée")
    assert page.url.startswith(fedapay_simulator.base_url)
    shot(page, "08-page-operateur")
    with page.expect_navigation(url=re.compile(re.escape(base) + ".*")):
        page.click("button[value=approve]")
    page.wait_for_selector("text=Paiement reçu")
    journey.forbid(fedapay_simulator.base_url)
    invoice.refresh_from_db()
    assert invoice.state == "paid"
    assert "Télécharger (PDF)" in page.inner_text("main")  # the receipt, sealed
    fits_the_phone(page)
    accessible(page)
    shot(page, "09-paiement-recu")

    application.refresh_from_db()
    assert application.state == ApplicationState.IN_REVIEW
    page.goto(f"{base}/dossiers/{application.reference}/")
    assert "en cours d'instruction" in page.inner_text("main")
    fits_the_phone(page)
    accessible(page)
    shot(page, "10-suivi")
    assert journey.foreign == []
