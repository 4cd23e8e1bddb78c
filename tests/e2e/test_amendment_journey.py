"""An amendment in the browser, with Celery eager (any database): the owner of a registered
SARL opens its company page, declares a change of managers, attaches the documents, signs
with the e-mailed code; a cashier records the fee at the counter; each desk of the
procedure (found through the workflow's case for the amendment) takes its task from the
queue and approves, the registrar last; the owner downloads the up-to-date RCCM extract,
whose QR code (read from the PDF) leads to a page that says it is authentic and names the
new managers.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from amendments.models import Amendment, AmendmentState
from payments.selectors import invoice_of
from registry.models import CompanyChange
from workflows.models import Desk

from ..documents.helpers import decode_qr_codes
from .browser import Journey, log_in, needs_chromium, open_link, small_pdf, submit
from .steps import decide, ready_amendment_task, sign_with_code

pytestmark = needs_chromium

NEW_MANAGERS = "Kossi Agbeko\nAfi Mensah"


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_owner_changes_the_managers_and_gets_the_new_extract(
    viewport, live_server, registered, entrepreneur, clerks, make_user, settings, tmp_path,
    chromium,
):
    base = live_server.url
    settings.SITE_URL = base  # the extract's QR code points here
    journey = Journey("modification", viewport, base)
    company = registered.company
    Desk.objects.get_or_create(code="caisse", defaults={"name": "Caisse"})
    cashier = make_user("caissier@cfe.example.tg", desk="caisse")

    # --- the owner, from the registered filing's page to the change -------------------
    owner = journey.page(chromium)
    log_in(owner, base, entrepreneur)
    owner.goto(base + registered.get_absolute_url())
    assert company.rccm_number in owner.inner_text("main")
    journey.check(owner, "entreprise-immatriculee", weigh=True)
    open_link(owner, "Modifier, dissoudre ou radier l'entreprise")
    assert company.name in owner.inner_text("h1")
    assert "Aucune modification depuis l'immatriculation." in owner.inner_text("main")
    journey.check(owner, "vie-entreprise", weigh=True)
    owner.check("input[name=change_type][value=managers]")
    submit(owner)
    amendment = Amendment.objects.get(company=company)
    assert owner.url.endswith(reverse("amendments:edit", args=[amendment.reference]))
    # Pre-filled from the register.
    assert "Kossi" in owner.input_value("textarea[name=managers]")

    # Nothing changed: refused, and the error state is accessible.
    submit(owner)
    assert "Rien ne change" in owner.inner_text("main")
    journey.check(owner, "declarer-erreur")
    owner.fill("textarea[name=managers]", NEW_MANAGERS)
    owner.select_option("select[name=role]", "manager")
    journey.check(owner, "declarer")
    submit(owner)
    assert owner.url.endswith(reverse("amendments:documents", args=[amendment.reference]))

    # --- the documents the change asks for, each sent through its own form --------------
    codes = owner.eval_on_selector_all("form.upload input[name=requirement]",
                                       "inputs => inputs.map(input => input.value)")
    assert codes, owner.inner_text("main")
    journey.check(owner, "pieces-manquantes", weigh=True)
    for code in codes:
        card = owner.locator(f".card:has(input[name=requirement][value='{code}'])")
        card.locator("input[type=file]").set_input_files(str(small_pdf(tmp_path, code)))
        with owner.expect_navigation():
            card.locator("button[type=submit]").click()
        owner.locator(f".card:has(input[value='{code}'])").get_by_text("Reçue").wait_for()
    assert "Manquante" not in owner.inner_text("main")
    journey.check(owner, "pieces")

    # --- signed with the one-time code from the e-mail ---------------------------------
    open_link(owner, "Vérifier et signer")
    main = owner.inner_text("main")
    assert "Afi Mensah" in main and "Frais" in main
    journey.check(owner, "verifier-signer", weigh=True)
    sign_with_code(owner, entrepreneur.email)
    owner.wait_for_selector("text=Demande signée. Réglez les frais")
    amendment.refresh_from_db()
    assert amendment.state == AmendmentState.PENDING_PAYMENT
    journey.check(owner, "demande-signee")
    invoice = invoice_of(amendment)
    assert invoice.service == "company_amendment"
    open_link(owner, "Payer les frais")
    assert invoice.number in owner.inner_text("h1")
    journey.check(owner, "facture", weigh=True)

    # --- the fee, paid at the counter --------------------------------------------------
    desk = journey.page(chromium)
    log_in(desk, base, cashier, totp=True)
    desk.goto(base + reverse("payments:counter"))
    desk.fill("main input[name=number]", invoice.number)
    submit(desk, "main form[role=search] button[type=submit]")
    if reverse("payments:counter_invoice", args=[invoice.number]) not in desk.url:
        open_link(desk, invoice.number)
    journey.check(desk, "caisse-facture")
    desk.check("input[name=method][value=cash]")
    desk.fill("input[name=amount]", str(invoice.amount))
    submit(desk, "main form:has(input[name=amount]) button[type=submit]")
    submit(desk, "main form button[type=submit]:has-text(\"Confirmer l'encaissement\")")
    assert "Facture payée" in desk.inner_text("main")
    desk.context.close()
    amendment.refresh_from_db()
    assert amendment.state == AmendmentState.IN_REVIEW

    owner.goto(base + amendment.get_absolute_url())
    assert "en cours d'instruction" in owner.inner_text("main")
    journey.check(owner, "demande-en-instruction", weigh=True)

    # --- each desk of the procedure decides, the registrar last -------------------------
    staff = {}
    decided = []
    for _ in range(6):
        task = ready_amendment_task(amendment)
        if task is None:
            break
        code = task.desk.code
        if code not in staff:
            staff[code] = journey.page(chromium)
            log_in(staff[code], base, clerks[code], totp=True)
        decide(journey, staff[code], base, task, "approve", comment="Conforme.")
        decided.append(code)
    assert decided == ["guichet", "greffe", "greffier"], decided
    for page in staff.values():
        page.context.close()
    amendment.refresh_from_db()
    company.refresh_from_db()
    assert amendment.state == AmendmentState.APPROVED
    assert amendment.extract is not None
    assert CompanyChange.objects.filter(company=company, field="managers",
                                        filing_reference=amendment.reference).exists()

    # --- the owner downloads the up-to-date extract and follows its QR code -------------
    owner.goto(base + amendment.get_absolute_url())
    main = owner.inner_text("main")
    assert "Inscrite au registre le" in main
    assert amendment.extract.grouped_code in main
    journey.check(owner, "demande-inscrite", weigh=True)
    with owner.expect_download() as download:
        owner.click("text=Télécharger l'extrait RCCM à jour (PDF scellé)")
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    (url,) = decode_qr_codes(pdf, tmp_path)
    assert url.startswith(base), url  # this site's verification page, read from the PDF
    owner.goto(url)
    main = owner.inner_text("main")
    assert "Document authentique" in main and "Valide" in main
    assert "Extrait du registre du commerce" in main
    assert "Afi Mensah" in main, main  # the new managers, as the register now stands
    journey.check(owner, "extrait-verification", weigh=True)

    # The company's page now tells the change in its history.
    owner.goto(base + reverse("amendments:start", args=[registered.reference]))
    history = owner.inner_text("#history-title + .responsive-table table")
    assert "Afi Mensah" in history and amendment.reference in history
    journey.check(owner, "historique", weigh=True)
    assert journey.foreign == []
