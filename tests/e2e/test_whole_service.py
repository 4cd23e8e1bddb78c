"""The whole service in a real browser, every role: an entrepreneur files a SARL with two
partners, pays online and signs; each desk's clerk signs in with their authenticator code
and takes the task from the queue; the court registry returns the file, the entrepreneur
corrects it and signs again; the other desks and the registrar approve; the certificate is
downloaded, its QR code read and followed, and the file checked at /verifier/ (and a
modified copy refused).

PostgreSQL, Redis and a real Celery worker (threads, in this process) behind a live server:
marked integration, skipped where they are not configured.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from payments.selectors import invoice_of
from registry.models import Application, ApplicationState, Company

from ..documents.helpers import change_one_byte, decode_qr_codes
from ..integration.conftest import needs_postgresql_and_broker, wait_for
from .browser import (
    PASSWORD,
    Journey,
    log_in,
    needs_chromium,
    open_link,
    small_pdf,
    submit,
    tab_to,
    wait_for_mail,
)
from .steps import DESKS, add_partner, decide, ready_task, sign_with_code

pytestmark = [pytest.mark.integration, needs_postgresql_and_broker, needs_chromium]

@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_whole_service_from_sign_up_to_a_verified_certificate(
    viewport, live_server, real_worker, fedapay_simulator, clerks, settings, tmp_path,
    chromium,
):
    base = live_server.url
    settings.SITE_URL = base  # the provider sends the payer back here; the QR code points here
    fedapay_simulator.webhook_url = base + reverse("payments:notification", args=["fedapay"])
    journey = Journey("service-complet", viewport, base)
    awa = journey.page(chromium)
    email = "awa.koffi@example.tg"

    # --- the entrepreneur signs up, verifying her address with the e-mailed link ---------
    awa.goto(base + "/")
    journey.check(awa, "accueil", weigh=True)
    open_link(awa, "Créer un compte pour commencer")
    awa.fill("input[name=first_name]", "Awa")
    awa.fill("input[name=last_name]", "Koffi")
    awa.fill("input[name=email]", email)
    awa.fill("input[name=password1]", PASSWORD)
    awa.fill("input[name=password2]", "pas le même")
    submit(awa)
    assert awa.locator("[aria-invalid=true]").count() >= 1  # the error state, accessible
    journey.check(awa, "inscription-erreur")
    awa.fill("input[name=password1]", PASSWORD)
    awa.fill("input[name=password2]", PASSWORD)
    submit(awa)
    link = wait_for_mail(email, r"https?://[^/\s]+(/comptes/confirm-email/\S+/)").group(1)
    awa.goto(base + link)
    journey.check(awa, "confirmer-adresse")
    submit(awa)

    # --- a SARL with two partners, section by section ---------------------------------
    awa.goto(base + "/dossiers/nouveau/")
    awa.check("input[name=legal_form][value=SARL]")
    submit(awa)
    journey.check(awa, "liste-des-taches", weigh=True)
    task_list = awa.url

    # Keyboard only: the name section, from the task list to the saved answer.
    tab_to(awa, "main a:has-text('Dénomination')")
    with awa.expect_navigation(wait_until="load"):
        awa.keyboard.press("Enter")
    tab_to(awa, "#id_name_1")
    awa.keyboard.type("Lagune Couture")
    awa.wait_for_selector("#name-check-name_1 .name-check")
    assert "disponible" in awa.inner_text("#name-check-name_1").lower()
    journey.check(awa, "denomination-clavier")
    tab_to(awa, "main form button[type=submit]")
    with awa.expect_navigation():
        awa.keyboard.press("Enter")
    assert awa.url == task_list

    open_link(awa, "Activité")
    awa.fill("#activity-search", "vêtements")
    awa.wait_for_selector("#activity-results button")
    awa.locator("#activity-results button[data-activity='14']").click()
    awa.fill("#id_business_purpose", "Confection et vente de vêtements sur mesure.")
    submit(awa)

    open_link(awa, "Siège social")
    awa.select_option("#id_region", "maritime")
    awa.select_option("#id_prefecture", "golfe")
    awa.fill("#id_city", "Lomé")
    awa.fill("#id_registered_office", "Rue des Cocotiers, Bè")
    submit(awa)

    open_link(awa, "Capital et parts")
    awa.fill("#id_capital", "500000")
    awa.fill("#id_share_count", "100")
    awa.fill("#id_share_nominal", "4000")  # 100 x 4 000 is not 500 000
    submit(awa)
    assert awa.locator("#id_share_nominal").get_attribute("aria-invalid") == "true"
    journey.check(awa, "capital-erreur")
    awa.fill("#id_share_nominal", "5000")
    submit(awa)

    open_link(awa, "Personnes")
    add_partner(awa, first="Awa", last="Koffi", id_number="TG-CNI-7654321",
                roles=("partner", "manager", "beneficial_owner"), shares=60, cash=300_000,
                percent=60)
    add_partner(awa, first="Kodjo", last="Mensah", id_number="TG-CNI-1234567",
                roles=("partner", "beneficial_owner"), shares=40, cash=200_000, percent=40)
    people = awa.inner_text("main")
    assert "Awa KOFFI" in people and "Kodjo MENSAH" in people
    journey.check(awa, "personnes")

    awa.goto(awa.url.replace("/personnes/", "/pieces/"))
    codes = awa.eval_on_selector_all("form.upload input[name=requirement]",
                                     "inputs => inputs.map(input => input.value)")
    assert len(codes) >= 5  # statutes, seat, and each partner's papers
    for code in codes:
        card = awa.locator(f".card:has(input[value='{code}'])")
        card.locator("input[type=file]").set_input_files(str(small_pdf(tmp_path, "piece")))
        card.locator("button[type=submit]").click()
        awa.locator(f".card:has(input[value='{code}'])").get_by_text("Reçue").wait_for()
    journey.check(awa, "pieces")

    application = Application.objects.get(company_name="Lagune Couture")
    awa.goto(f"{base}/dossiers/{application.reference}/verifier/")
    assert "Le dossier ne peut pas encore être signé" not in awa.content()
    journey.check(awa, "verifier", weigh=True)

    # --- signed first, then paid on the provider's page -------------------------------
    sign_with_code(awa, email)
    awa.wait_for_selector("text=Dossier signé. Réglez les frais")
    journey.check(awa, "suivi-frais")
    invoice = invoice_of(application)
    open_link(awa, "Payer les frais")
    journey.check(awa, "facture", weigh=True)
    awa.check("input[name=channel][value=fedapay]")
    submit(awa)
    journey.allow(fedapay_simulator.base_url)
    open_link(awa, "Continuer vers la page de paiement sécurisée")
    assert awa.url.startswith(fedapay_simulator.base_url)
    journey.shot(awa, "page-operateur")
    with awa.expect_navigation(url=re.compile(re.escape(base) + ".*")):
        awa.click("button[value=approve]")
    awa.wait_for_selector("text=Paiement reçu")
    journey.forbid(fedapay_simulator.base_url)
    journey.check(awa, "paiement-recu")
    invoice.refresh_from_db()
    assert invoice.state == "paid"
    wait_for(lambda: Application.objects.get(pk=application.pk).state
             == ApplicationState.IN_REVIEW)

    # --- each desk's clerk signs in with the authenticator's code ----------------------
    staff = {}
    for desk in DESKS:
        staff[desk] = journey.page(chromium)
        log_in(staff[desk], base, clerks[desk], totp=True)
    journey.shot(staff["guichet"], "guichet-connecte")

    intake = wait_for(lambda: ready_task(application.pk))
    assert intake.desk.code == "guichet"
    decide(journey, staff["guichet"], base, intake, "approve", comment="Dossier complet.")

    # The court registry returns it: the seat's address is incomplete.
    registry_task = wait_for(lambda: ready_task(application.pk), timeout=60)
    assert registry_task.desk.code == "greffe"
    decide(journey, staff["greffe"], base, registry_task, "return", take_next=False,
           comment="Précisez le numéro de la rue du siège.", corrections=("office",))
    wait_for(lambda: Application.objects.get(pk=application.pk).state
             == ApplicationState.CORRECTION_REQUESTED)

    # --- the entrepreneur corrects and signs again -------------------------------------
    awa.goto(base + application.get_absolute_url())
    main = awa.inner_text("main")
    assert "L'administration vous demande une correction." in main
    assert "Précisez le numéro de la rue du siège." in main
    journey.check(awa, "correction-demandee", weigh=True)
    open_link(awa, "Siège social")
    awa.fill("#id_registered_office", "12 rue des Cocotiers, Bè")
    submit(awa)
    open_link(awa, "Vérifier et signer à nouveau")
    sign_with_code(awa, email)
    wait_for(lambda: Application.objects.get(pk=application.pk).state
             == ApplicationState.IN_REVIEW)
    journey.check(awa, "signe-a-nouveau")
    assert application.signatures.count() == 2

    # --- the remaining desks approve, then the registrar --------------------------------
    decided = []
    for _ in range(8):
        state = Application.objects.get(pk=application.pk).state
        if state != ApplicationState.IN_REVIEW:
            break
        task = wait_for(lambda: ready_task(application.pk) or (
            Application.objects.get(pk=application.pk).state != ApplicationState.IN_REVIEW),
            timeout=60)
        if task is True:
            break
        desk = task.desk.code
        decide(journey, staff[desk], base, task, "approve", comment="Conforme.",
               shots=desk not in decided)
        decided.append(desk)
    assert set(decided) >= {"greffe", "impots", "cnss", "greffier"}, decided
    assert decided[-1] == "greffier"
    wait_for(lambda: Application.objects.get(pk=application.pk).state
             == ApplicationState.REGISTERED, timeout=60)
    company = Company.objects.get(application=application)
    assert company.nif == "1000428517" and company.employer_number == "123456"
    wait_for(lambda: Company.objects.get(pk=company.pk).certificate_id)

    # --- the certificate: download it, follow its QR code, check it at /verifier/ -------
    awa.goto(base + application.get_absolute_url())
    main = awa.inner_text("main")
    assert company.rccm_number in main
    journey.check(awa, "immatriculee", weigh=True)
    with awa.expect_download() as download:
        awa.click("text=Télécharger le certificat d'immatriculation (PDF)")
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")

    (url,) = decode_qr_codes(pdf, tmp_path)
    assert url.startswith(base), url  # the QR code points at this site's verification page
    awa.goto(url)
    assert "Document authentique" in awa.inner_text("main")
    journey.check(awa, "qr-verification", weigh=True)

    certificate = tmp_path / "certificat.pdf"
    certificate.write_bytes(pdf)
    modified = tmp_path / "certificat-modifie.pdf"
    modified.write_bytes(change_one_byte(pdf))
    for path, outcome, name in ((certificate, "authentic", "verifier-valide"),
                                (modified, "modified", "verifier-modifie")):
        awa.goto(base + "/verifier/")
        awa.set_input_files("input[name=document]", str(path))
        submit(awa, "main form:has(input[name=document]) button[type=submit]")
        verdict = awa.locator("[data-outcome]")
        assert verdict.get_attribute("data-outcome") == outcome, awa.inner_text("main")
        journey.check(awa, name)
    assert journey.foreign == []
    print(f"\n{journey.name}-{viewport} page weights (bytes): {journey.weights}")
