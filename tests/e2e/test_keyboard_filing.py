"""Keyboard only: an individual trader (EI) completes the whole guided filing, from signing
in to the signed filing that waits for its fee, with Tab, Shift+Tab, Enter, Space, the
arrow keys and typing. No click, no fill: every control is reached by Tab, and each one
shows where the focus is (a visible outline or shadow). Celery eager, any database.

The one exception: a file input opens the operating system's file dialog, which is outside
the page and cannot be driven by a page's keyboard; the test reaches the input by Tab, then
gives it the file with Playwright's set_input_files, as the dialog would.
"""

from __future__ import annotations

import pytest
from django.core import mail

from registry.models import Application, ApplicationState

from .browser import PASSWORD, Journey, needs_chromium, small_pdf, wait_for_mail

pytestmark = needs_chromium

# The focused element, described for the messages: tag, id or name, text.
ACTIVE = """() => { const el = document.activeElement;
    return el ? `${el.tagName.toLowerCase()}#${el.id || el.name || ""} `
        + `${(el.innerText || el.value || "").trim().slice(0, 40)}` : "none"; }"""
# Whether the focused element shows the focus: an outline or a box-shadow drawn.
FOCUS_SHOWN = """() => { const el = document.activeElement;
    if (!el || el === document.body) return false;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    return outline || (style.boxShadow && style.boxShadow !== "none"); }"""


def focus_to(page, selector: str, *, backwards: bool = False, limit: int = 120) -> None:
    """Press Tab (or Shift+Tab) until the focus is on an element matching `selector` (a
    Playwright selector); the focus must then be visible."""
    key = "Shift+Tab" if backwards else "Tab"
    targets = page.locator(selector)
    targets.first.wait_for()
    for _ in range(limit):
        if targets.evaluate_all("els => els.includes(document.activeElement)"):
            break
        page.keyboard.press(key)
    else:
        raise AssertionError(f"{selector} never got the focus on {page.url}; "
                             f"last: {page.evaluate(ACTIVE)}")
    assert page.evaluate(FOCUS_SHOWN), f"no visible focus on {page.evaluate(ACTIVE)}"


def type_in(page, selector: str, text: str) -> None:
    """Tab to a text field, empty it (Ctrl+A, Delete) and type."""
    focus_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def press_and_wait(page, key: str = "Enter") -> None:
    """A key that follows a link or submits a form: wait for the next page."""
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press(key)


def activate(page, selector: str) -> None:
    """Tab to a link or a button and press Enter: a new page."""
    focus_to(page, selector)
    press_and_wait(page)


def choose(page, name: str, value: str) -> None:
    """A radio button: Tab into its group, then the arrow keys to the value (they check
    it as they move)."""
    focus_to(page, f"input[type=radio][name={name}]")
    for _ in range(30):
        if page.evaluate("() => document.activeElement.value") == value:
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")  # checked even if the group was entered on it
    assert page.is_checked(f"input[name={name}][value='{value}']"), page.evaluate(ACTIVE)


def tick(page, selector: str) -> None:
    """A checkbox: Tab to it and press Space."""
    focus_to(page, selector)
    if not page.is_checked(selector):
        page.keyboard.press("Space")
    assert page.is_checked(selector)


def pick(page, selector: str, label_start: str, value: str) -> None:
    """A select: Tab to it and type the start of the option's label (type-ahead)."""
    focus_to(page, selector)
    page.keyboard.type(label_start, delay=20)
    assert page.input_value(selector) == value, (selector, page.input_value(selector))


def section(page, title: str) -> None:
    """From the task list, the section's link by Tab and Enter."""
    activate(page, f"main ol.task-list a:text-is('{title}')")
    assert title in page.inner_text("h1"), page.inner_text("main")


def save(page, label: str = "Enregistrer et revenir au dossier") -> None:
    activate(page, f"main form button[type=submit]:text-is(\"{label}\")")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_an_individual_trader_files_with_the_keyboard_only(viewport, live_server, make_user,
                                                           tmp_path, chromium):
    base = live_server.url
    trader = make_user("kodjo.clavier@example.tg")
    journey = Journey("clavier-ei", viewport, base)
    page = journey.page(chromium)

    # Signing in: the address typed in the browser's bar, then the keyboard only.
    page.goto(base + "/comptes/login/")
    type_in(page, "input[name=login]", trader.email)
    type_in(page, "input[name=password]", PASSWORD)
    focus_to(page, "main form button[type=submit]")
    press_and_wait(page)
    assert "/comptes/login" not in page.url, page.url

    # "Mes dossiers" in the main navigation, then a new filing.
    activate(page, "nav.main-nav a[href='/dossiers/']")
    activate(page, "main a[href$='/dossiers/nouveau/']")
    choose(page, "legal_form", "EI")
    journey.check(page, "forme-juridique")
    activate(page, "main form button[type=submit]")
    application = Application.objects.get(owner=trader)
    assert application.legal_form == "EI"
    task_list = page.url
    journey.check(page, "liste-des-taches")

    # The legal form chosen at the start: its section shows it, saved again by Enter.
    section(page, "Forme juridique")
    assert page.is_checked("input[name=legal_form][value=EI]")
    save(page)
    assert page.url == task_list

    # Names: the name check answers as one types.
    section(page, "Dénomination")
    type_in(page, "#id_name_1", "Kodjo Menuiserie")
    page.wait_for_selector("#name-check-name_1 .name-check")
    assert "disponible" in page.inner_text("#name-check-name_1").lower()
    save(page)
    assert page.url == task_list

    # Activity: search, Tab to a result, Enter picks it (and brings the focus back to the
    # list of activities); then the business purpose.
    section(page, "Activité")
    type_in(page, "#activity-search", "menuiserie")
    page.wait_for_selector("#activity-results button[data-activity]")
    focus_to(page, "#activity-results button[data-activity]")
    chosen = page.evaluate("() => document.activeElement.dataset.activity")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "id_activity_code"
    assert page.input_value("#id_activity_code") == chosen
    type_in(page, "#id_business_purpose", "Fabrication et vente de meubles en bois.")
    journey.check(page, "activite-clavier")
    save(page)
    assert page.url == task_list

    # Registered office: two lists chosen by typing the start of an option.
    section(page, "Siège social")
    pick(page, "#id_region", "Maritime", "maritime")
    pick(page, "#id_prefecture", "Golfe", "golfe")
    type_in(page, "#id_city", "Lomé")
    type_in(page, "#id_registered_office", "Rue des Flamboyants, Tokoin")
    # Back up to the region with Shift+Tab: still the value chosen.
    focus_to(page, "#id_region", backwards=True)
    assert page.input_value("#id_region") == "maritime"
    save(page)
    assert page.url == task_list

    # People: the trader himself.
    section(page, "Personnes")
    activate(page, "main a:text-is('Ajouter une personne')")
    choose(page, "kind", "natural")
    for box in page.eval_on_selector_all("input[name=roles]", "boxes => boxes.map(b => b.value)"):
        tick(page, f"input[name=roles][value={box}]")
    type_in(page, "#id_first_name", "Kodjo")
    type_in(page, "#id_last_name", "Amouzou")
    # A date field: its parts typed in turn (the browser moves from one to the next). Their
    # order follows the browser's own locale, not the page's: day first, else month first
    # (Shift+Tab out of the field and Tab back in starts again at its first part).
    for digits in ("12051990", "05121990"):
        focus_to(page, "#id_last_name", backwards=True)
        focus_to(page, "#id_birth_date")
        page.keyboard.type(digits)
        if page.input_value("#id_birth_date") == "1990-05-12":
            break
    assert page.input_value("#id_birth_date") == "1990-05-12"
    type_in(page, "#id_id_document_number", "TG-CNI-2233445")
    type_in(page, "#id_address", "Rue des Flamboyants, Tokoin, Lomé")
    journey.check(page, "personne-clavier")
    activate(page, "main form button[type=submit]:text-is('Enregistrer')")
    assert "Kodjo AMOUZOU" in page.inner_text("main"), page.inner_text("main")
    activate(page, "main a:text-is('Retour au dossier')")
    assert page.url == task_list

    # Documents: each file input reached by Tab; the file itself given as the OS dialog
    # would (outside the page); then Tab to "Envoyer" and Enter. htmx swaps the page in.
    section(page, "Pièces justificatives")
    codes = page.eval_on_selector_all("form.upload input[name=requirement]",
                                      "inputs => inputs.map(input => input.value)")
    assert codes
    for code in codes:
        card = f".card:has(input[name=requirement][value='{code}'])"
        focus_to(page, f"{card} input[type=file]")
        # The OS file dialog is outside the page: set the file on the focused input.
        page.locator(f"{card} input[type=file]").set_input_files(
            str(small_pdf(tmp_path, code)))
        focus_to(page, f"{card} button[type=submit]")
        page.keyboard.press("Enter")
        page.locator(card).get_by_text("Reçue").wait_for()
        # htmx swapped the page in: the focus is back on this card's button (not at the
        # top of the page), so Tab goes on to the next document.
        assert page.locator(f"{card} button[type=submit]").evaluate(
            "el => el === document.activeElement"), page.evaluate(ACTIVE)
    assert "Manquante" not in page.inner_text("main")
    journey.check(page, "pieces-clavier")
    activate(page, "main a:text-is('Retour au dossier')")
    assert page.url == task_list
    application.refresh_from_db()
    statuses = page.inner_text("main ol.task-list")
    assert "À faire" not in statuses, statuses

    # Check and sign: tick the declaration, get the code, type it.
    activate(page, "main ol.task-list a:text-is('Vérifier et signer')")
    tick(page, "#id_accept")
    after = len(mail.outbox)
    activate(page, "main form button[type=submit]:text-is('Recevoir le code de signature')")
    code = wait_for_mail(trader.email, r"code de signature : (\d{6})", after=after).group(1)
    type_in(page, "#id_code", code)
    journey.check(page, "signature-clavier")
    activate(page, "main form button[type=submit]:text-is('Signer et envoyer le dossier')")
    page.wait_for_selector("text=Dossier signé. Réglez les frais")
    application.refresh_from_db()
    assert application.state == ApplicationState.PENDING_PAYMENT
    assert application.signatures.filter(signed_at__isnull=False).count() == 1

    # Up to the payment: the link to pay is reached by Tab and shows its focus.
    focus_to(page, "main a:text-is('Payer les frais')")
    journey.check(page, "suivi-frais-clavier")
    assert journey.foreign == []
