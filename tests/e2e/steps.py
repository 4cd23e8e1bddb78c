"""Steps the browser journeys share: a clerk's decision through the queue, a partner added
to a filing, the signature by one-time code."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from workflows.models import Task, TaskState

from .browser import Journey, open_link, submit, wait_for_mail

QUEUE = "/guichet/"
DESKS = ("guichet", "greffe", "impots", "cnss", "greffier")
# What each desk types when it approves (the step's fields in the procedure).
STEP_FIELDS = {"impots": {"data_nif": "1000 428 517"},
               "cnss": {"data_employer_number": "123456"}}
DECISION_BUTTONS = {"approve": "Approuver", "return": "Renvoyer pour correction",
                    "reject": "Rejeter"}
CONFIRM_BUTTONS = {"approve": "Confirmer l'approbation", "return": "Confirmer le renvoi",
                   "reject": "Confirmer le rejet"}


def ready_task(application_id: int) -> Task | None:
    return Task.objects.filter(case__subject_id=application_id, state=TaskState.READY,
                               kind="manual").select_related("desk").first()


def decide(journey: Journey, page, base: str, task: Task, action: str, *,
           comment: str = "", corrections: tuple[str, ...] = (), take_next: bool = True,
           shots: bool = True) -> None:
    """As the task's desk clerk (signed in on `page`): the queue lists the task; take it
    ("Prendre la tâche suivante", or the row's link then "Prendre en charge"), fill the
    decision, then confirm it on the confirmation page."""
    desk = task.desk.code
    page.goto(base + QUEUE)
    row = page.locator(f"a[href='{reverse('workflows:task', args=[task.pk])}']")
    assert row.count() == 1, f"task {task.pk} not in the {desk} queue"
    if shots:
        journey.check(page, f"{desk}-file")
    if take_next:
        submit(page, "form[action$='/tache-suivante/'] button[type=submit]")
    else:
        with page.expect_navigation():
            row.click()
        submit(page, "main form[action$='/claim/'] button[type=submit]")
    assert page.url.endswith(reverse("workflows:task", args=[task.pk])), page.url
    if comment:
        page.fill("#decision textarea[name=comment]", comment)
    if action == "approve":
        for name, value in STEP_FIELDS.get(desk, {}).items():
            page.fill(f"#decision input[name={name}]", value)
    for code in corrections:
        page.check(f"#decision input[name=correction_fields][value='{code}']")
    if shots:
        journey.check(page, f"{desk}-tache-{action}")
    submit(page, f"#decision button:text-is('{DECISION_BUTTONS[action]}')")
    assert "Confirmer la décision" in page.inner_text("h1"), page.inner_text("main")
    if shots:
        journey.check(page, f"{desk}-confirmer-{action}")
    submit(page, f"main form button:text-is(\"{CONFIRM_BUTTONS[action]}\")")
    assert page.url.endswith(QUEUE), page.inner_text("main")
    task.refresh_from_db()
    expected = {"approve": TaskState.APPROVED, "return": TaskState.RETURNED,
                "reject": TaskState.REJECTED}[action]
    assert task.state == expected, (task.state, page.inner_text("main"))


def add_partner(page, *, first: str, last: str, roles: tuple[str, ...], shares: int,
                cash: int, percent: int, id_number: str,
                add_link: str = "Ajouter une personne") -> None:
    open_link(page, add_link)
    page.check("input[name=kind][value=natural]")
    for role in roles:
        page.check(f"input[name=roles][value={role}]")
    page.fill("#id_first_name", first)
    page.fill("#id_last_name", last)
    page.fill("#id_birth_date", "1990-05-12")
    page.fill("#id_id_document_number", id_number)
    page.fill("#id_address", "Rue des Cocotiers, Bè, Lomé")
    page.fill("#id_shares", str(shares))
    page.fill("#id_cash_contribution", str(cash))
    page.fill("#id_ownership_percent", str(percent))
    submit(page)


def sign_with_code(page, email: str) -> None:
    """On the review page: accept, get the one-time code by e-mail (sent by the worker),
    type it and sign."""
    after = len(mail.outbox)
    page.check("#id_accept")
    with page.expect_navigation():
        page.click("text=Recevoir le code de signature")
    code = wait_for_mail(email, r"code de signature : (\d{6})", after=after).group(1)
    page.fill("#id_code", code)
    submit(page, "main form:has(#id_code) button[type=submit]")


def ready_amendment_task(amendment) -> Task | None:
    """The clerk's task an amendment waits on (its case, found through the workflows'
    selectors: an amendment's id may also be some creation filing's)."""
    from workflows import selectors as workflow_selectors

    case = workflow_selectors.case_for(amendment)
    if case is None:
        return None
    return Task.objects.filter(case=case, state=TaskState.READY,
                               kind="manual").select_related("desk").first()
