"""Shorter journeys in the browser, with Celery eager (any database):

- a filing rejected by the first desk, and the entrepreneur reading the decision;
- an individual trader (EI) whose fee a cashier records at the counter (/guichet/caisse/);
- the entrepreneur's whole filing path in English, from the language switch to the payment.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from payments.selectors import invoice_of
from registry.models import Application, ApplicationState
from workflows.models import Desk

from ..registry.filings import KOSSI, Plan, build, person, sign_with_services
from .browser import (
    PASSWORD,
    Journey,
    log_in,
    needs_chromium,
    open_link,
    small_pdf,
    submit,
    wait_for_mail,
)
from .steps import add_partner, decide, ready_task

pytestmark = needs_chromium


@pytest.fixture
def ei_owing(make_user):
    """An individual trader's filing, complete and signed, its fee not paid yet."""
    trader = make_user("kossi.ei@example.tg")
    application = build(trader, Plan("EI", [person(KOSSI, "trader")]))
    sign_with_services(application, trader, pay=False)
    return application


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_desk_rejects_a_filing_and_the_entrepreneur_reads_why(
    viewport, live_server, submitted, entrepreneur, clerks, chromium
):
    base = live_server.url
    journey = Journey("rejet", viewport, base)
    clerk = journey.page(chromium)
    log_in(clerk, base, clerks["guichet"], totp=True)
    task = ready_task(submitted.pk)
    assert task.desk.code == "guichet"
    # The decision without its reason is refused, and says so.
    clerk.goto(base + reverse("workflows:task", args=[task.pk]))
    submit(clerk, "main form[action$='/claim/'] button[type=submit]")
    submit(clerk, "#decision button:text-is('Rejeter')")
    assert "Motivez le rejet" in clerk.inner_text("main")
    journey.check(clerk, "rejet-sans-motif")
    # Released back to the queue first, so that the journey takes it from there.
    clerk.goto(base + reverse("workflows:task", args=[task.pk]))
    submit(clerk, "main form[action$='/release/'] button[type=submit]")
    decide(journey, clerk, base, task, "reject", take_next=False,
           comment="Le siège déclaré n'existe pas à cette adresse.")

    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.REJECTED
    owner = journey.page(chromium)
    log_in(owner, base, entrepreneur)
    owner.goto(base + "/dossiers/")
    journey.check(owner, "mes-dossiers", weigh=True)
    with owner.expect_navigation(wait_until="load"):
        owner.click(f"main a[href='{submitted.get_absolute_url()}']")
    main = owner.inner_text("main")
    assert "Dossier rejeté." in main
    assert "Le siège déclaré n'existe pas à cette adresse." in main
    journey.check(owner, "dossier-rejete", weigh=True)
    assert journey.foreign == []


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_an_individual_trader_pays_at_the_counter(viewport, live_server, ei_owing, make_user,
                                                  chromium):
    base = live_server.url
    journey = Journey("ei-caisse", viewport, base)
    application, trader = ei_owing, ei_owing.owner
    application.refresh_from_db()
    assert application.state == ApplicationState.PENDING_PAYMENT
    invoice = invoice_of(application)
    Desk.objects.get_or_create(code="caisse", defaults={"name": "Caisse"})
    cashier = make_user("caissier@cfe.example.tg", desk="caisse")

    desk = journey.page(chromium)
    log_in(desk, base, cashier, totp=True)
    desk.goto(base + reverse("payments:counter"))
    journey.check(desk, "caisse")
    desk.fill("main input[name=number]", invoice.number)
    submit(desk, "main form[role=search] button[type=submit]")
    if reverse("payments:counter_invoice", args=[invoice.number]) not in desk.url:
        open_link(desk, invoice.number)
    journey.check(desk, "caisse-facture")
    desk.check("input[name=method][value=cash]")
    desk.fill("input[name=amount]", "")
    submit(desk, "main form:has(input[name=amount]) button[type=submit]")
    assert desk.locator("input[name=amount][aria-invalid=true]").count() == 1
    journey.check(desk, "caisse-erreur")
    desk.fill("input[name=amount]", str(invoice.amount))
    submit(desk, "main form:has(input[name=amount]) button[type=submit]")
    assert "Confirmer l'encaissement" in desk.inner_text("h1")
    journey.check(desk, "caisse-confirmer")
    submit(desk, "main form button[type=submit]:has-text(\"Confirmer l'encaissement\")")
    assert "Facture payée" in desk.inner_text("main")
    journey.check(desk, "caisse-payee")

    invoice.refresh_from_db()
    application.refresh_from_db()
    assert invoice.state == "paid"
    assert application.state == ApplicationState.IN_REVIEW

    owner = journey.page(chromium)
    log_in(owner, base, trader)
    owner.goto(base + application.get_absolute_url())
    assert "en cours d'instruction" in owner.inner_text("main")
    journey.check(owner, "suivi", weigh=True)
    assert journey.foreign == []


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_entrepreneur_files_and_pays_in_english(
    viewport, chromium, live_server, tmp_path, fedapay_simulator, settings
):
    base = live_server.url
    settings.SITE_URL = base
    fedapay_simulator.webhook_url = base + reverse("payments:notification", args=["fedapay"])
    journey = Journey("parcours-anglais", viewport, base)
    page = journey.page(chromium, language="en")
    email = "ama.mensah@example.tg"

    def english(name: str, *, weigh: bool = False) -> None:
        assert page.locator("html").get_attribute("lang") == "en", page.url
        journey.check(page, name, weigh=weigh)

    page.goto(base + "/")
    assert page.locator("html").get_attribute("lang") == "fr"  # French first
    submit(page, "form.lang-switch button[value=en]")
    english("home", weigh=True)

    open_link(page, "Create an account to get started")
    page.fill("input[name=first_name]", "Ama")
    page.fill("input[name=last_name]", "Mensah")
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    submit(page)
    link = wait_for_mail(email, r"https?://[^/\s]+(/comptes/confirm-email/\S+/)").group(1)
    page.goto(base + link)
    english("confirm-email")
    submit(page)

    page.goto(base + "/dossiers/nouveau/")
    english("start")
    page.check("input[name=legal_form][value=SARL]")
    submit(page)
    assert "To do" in page.inner_text("main")
    english("task-list", weigh=True)

    open_link(page, "Company name")
    page.fill("#id_name_1", "Mono River Traders")
    page.wait_for_selector("#name-check-name_1 .name-check")
    english("company-name")
    submit(page)

    open_link(page, "Activity")
    page.fill("#activity-search", "vêtements")
    page.wait_for_selector("#activity-results button")
    page.locator("#activity-results button[data-activity='14']").click()
    page.fill("#id_business_purpose", "Tailoring and sale of clothes.")
    submit(page)

    open_link(page, "Registered office")
    page.select_option("#id_region", "maritime")
    page.select_option("#id_prefecture", "golfe")
    page.fill("#id_city", "Lomé")
    page.fill("#id_registered_office", "Rue des Cocotiers, Bè")
    submit(page)

    open_link(page, "Capital and shares")
    page.fill("#id_capital", "500000")
    page.fill("#id_share_count", "100")
    page.fill("#id_share_nominal", "4000")
    submit(page)
    assert page.locator("#id_share_nominal").get_attribute("aria-invalid") == "true"
    english("capital-error")
    page.fill("#id_share_nominal", "5000")
    submit(page)

    open_link(page, "People")
    add_partner(page, first="Ama", last="Mensah", id_number="TG-CNI-2468024",
                roles=("partner", "manager", "beneficial_owner"), shares=100, cash=500_000,
                percent=100, add_link="Add a person")
    english("people")

    page.goto(page.url.replace("/personnes/", "/pieces/"))
    codes = page.eval_on_selector_all("form.upload input[name=requirement]",
                                      "inputs => inputs.map(input => input.value)")
    for code in codes:
        card = page.locator(f".card:has(input[value='{code}'])")
        card.locator("input[type=file]").set_input_files(str(small_pdf(tmp_path, "piece")))
        card.locator("button[type=submit]").click()
        page.locator(f".card:has(input[value='{code}'])").get_by_text("Received").wait_for()
    english("documents")

    application = Application.objects.get(company_name="Mono River Traders")
    page.goto(f"{base}/dossiers/{application.reference}/verifier/")
    english("review", weigh=True)
    after = len(mail.outbox)
    page.check("#id_accept")
    with page.expect_navigation():
        page.click("text=Get the signing code")
    english("sign")
    code = wait_for_mail(email, r"(\d{6})", after=after).group(1)
    page.fill("#id_code", code)
    submit(page, "main form:has(#id_code) button[type=submit]")
    assert "Application signed. Pay the fee" in page.inner_text("main")
    english("status-fee")

    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name="Pay the fee").click()
    english("invoice", weigh=True)
    page.check("input[name=channel][value=fedapay]")
    submit(page)
    journey.allow(fedapay_simulator.base_url)
    open_link(page, "Continue to the secure payment page")
    journey.shot(page, "provider-page")
    with page.expect_navigation(url=re.compile(re.escape(base) + ".*")):
        page.click("button[value=approve]")
    page.wait_for_selector("text=Payment received")
    journey.forbid(fedapay_simulator.base_url)
    english("payment-received")
    application.refresh_from_db()
    assert application.state == ApplicationState.IN_REVIEW
    page.goto(base + application.get_absolute_url())
    english("status", weigh=True)
    assert journey.foreign == []
