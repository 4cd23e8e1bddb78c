"""A desk's queue at any size: filters, search, keyset pages, "take the next task", and a
number of queries that does not grow with the number of tasks."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from workflows import selectors
from workflows import services as engine
from workflows.models import Case, Task, TaskState
from workflows.selectors import Claimed, Cursor, QueueFilters

from .helpers import claim_and_approve, claim_and_return, make_permit, resume, start
from .toy.models import Category


def intake_of(case: Case) -> Task:
    return Task.objects.get(case=case, step_id="intake")


def due_in(task: Task, hours: float | None) -> Task:
    """Give the task a deadline `hours` from now (None: no deadline)."""
    due = None if hours is None else timezone.now() + timedelta(hours=hours)
    Task.objects.filter(pk=task.pk).update(due_at=due)
    task.refresh_from_db()
    return task


def ids(tasks) -> list[int]:
    return [task.pk for task in tasks]


def desk_ids(user) -> list[int]:
    return list(selectors.desks_of(user).values_list("pk", flat=True))


def queue(user, **filters) -> list[int]:
    """Every task of the user's queue with these filters, page after page."""
    found, after = [], None
    while True:
        page = selectors.queue_page(user, QueueFilters(**filters), desk_ids=desk_ids(user),
                                    after=after, size=3)
        found += ids(page.tasks)
        if page.next_cursor is None:
            return found
        after = page.next_cursor


@pytest.fixture
def world(clerks, colleague, applicant):
    """At the one-stop shop (guichet): a ready intake, one claimed by the clerk, one by a
    colleague, an overdue one, one the clerk filed; at the court registry (greffe) a failed
    automatic inspection; one case still waiting before the tax office."""
    clerk = clerks["guichet"]
    tasks = {}
    tasks["ready"] = due_in(intake_of(start(make_permit("Ama Kouma"), actor=applicant)), 3)
    tasks["mine"] = due_in(intake_of(start(make_permit("Kodjo Afanou"), actor=applicant)), 2)
    engine.claim_task(task_id=tasks["mine"].pk, user=clerk)
    tasks["colleague"] = due_in(intake_of(start(make_permit("Yao Amegah"), actor=applicant)),
                                1)
    engine.claim_task(task_id=tasks["colleague"].pk, user=colleague)
    tasks["overdue"] = due_in(intake_of(start(make_permit("Élodie Lawson"),
                                              actor=applicant)), -5)
    tasks["own_filing"] = due_in(intake_of(start(make_permit("Comi Tete"), actor=clerk)), 1)
    failing = start(make_permit("Sena Dossou", check_problem="Locaux non conformes"),
                    actor=applicant)
    claim_and_approve(failing, "intake", colleague)
    tasks["failed"] = Task.objects.get(case=failing, step_id="inspection")
    assert tasks["failed"].state == TaskState.FAILED
    for task in tasks.values():
        task.refresh_from_db()
    return tasks


# --- filters and search ------------------------------------------------------------------------


def test_the_default_queue_is_the_work_to_do_and_my_own_claims(world, clerks):
    assert queue(clerks["guichet"]) == ids([world["overdue"], world["mine"], world["ready"]])


def test_each_claimed_filter_returns_exactly_its_tasks(world, clerks):
    clerk = clerks["guichet"]
    assert queue(clerk, claimed=Claimed.MINE) == [world["mine"].pk]
    assert queue(clerk, claimed=Claimed.ANYONE) == ids([world["colleague"], world["mine"]])
    assert queue(clerk, claimed=Claimed.UNCLAIMED) == ids([world["overdue"], world["ready"]])


def test_the_overdue_state_step_and_procedure_filters(world, clerks, colleague):
    clerk = clerks["guichet"]
    assert queue(clerk, overdue=True) == [world["overdue"].pk]
    assert queue(clerk, state=TaskState.CLAIMED) == [world["mine"].pk]
    assert queue(clerk, step="intake") == ids([world["overdue"], world["mine"], world["ready"]])
    assert queue(clerk, step="licence") == []
    assert queue(clerk, procedure="toy_permit") == queue(clerk)
    assert queue(clerk, procedure="company_creation") == []
    greffe = clerks["greffe"]
    assert queue(greffe, state=TaskState.FAILED) == [world["failed"].pk]
    assert queue(greffe, desk=clerk.desks.get()) == []  # not a desk of theirs


def test_a_clerk_never_sees_in_the_queue_a_filing_they_filed(world, clerks, colleague):
    assert world["own_filing"].pk not in queue(clerks["guichet"])
    assert world["own_filing"].pk not in queue(clerks["guichet"], claimed=Claimed.UNCLAIMED)
    assert world["own_filing"].pk in queue(colleague)


@pytest.mark.parametrize(("term", "key"), [
    ("Lawson", "overdue"),
    ("elodie lawson", "overdue"),  # no accents, any case
    ("ÉLODIE", "overdue"),
    ("kodjo", "mine"),
])
def test_the_search_finds_a_case_by_name_in_any_case_and_accent(world, clerks, term, key):
    assert queue(clerks["guichet"], search=term) == [world[key].pk]


def test_the_search_finds_a_case_by_its_file_number(world, clerks):
    reference = world["ready"].case.reference
    assert reference.startswith("PERMIS-")
    assert queue(clerks["guichet"], search=reference.lower()) == [world["ready"].pk]
    assert queue(clerks["guichet"], search="introuvable") == []


def test_a_number_recorded_by_a_handler_is_searchable_at_once(clerks, applicant):
    case = start(make_permit("Afi Mensah", category=Category.STANDARD), actor=applicant)
    claim_and_approve(case, "intake", clerks["guichet"])
    claim_and_approve(case, "licence", clerks["impots"])  # records the licence number
    case.refresh_from_db()
    assert "20260042" in case.search_text
    signature = Task.objects.get(case=case, step_id="signature")
    assert queue(clerks["greffier"], search="20260042") == [signature.pk]


def test_a_corrected_subject_is_found_by_its_new_name_once_resubmitted(clerks, applicant):
    permit = make_permit("Nom Ancien")
    case = start(permit, actor=applicant)
    claim_and_return(case, "intake", clerks["guichet"], "Le nom est mal orthographié.",
                     ["holder"])
    permit.holder = "Nom Nouveau"
    permit.save()
    resume(case, applicant)
    assert queue(clerks["guichet"], search="nouveau") == [intake_of(case).pk]
    assert queue(clerks["guichet"], search="ancien") == []


def test_the_queue_page_filters_and_searches_from_the_query_string(client, world, clerks):
    client.force_login(clerks["guichet"])
    response = client.get(reverse("workflows:queue"), {"q": "Lawson", "prise": "non"})
    assert ids(response.context["tasks"]) == [world["overdue"].pk]
    body = response.content.decode()
    assert "en retard" in body  # said in words, not by colour only
    response = client.get(reverse("workflows:queue"), {"en_retard": "on"})
    assert ids(response.context["tasks"]) == [world["overdue"].pk]
    response = client.get(reverse("workflows:queue"), {"guichet": "greffe"})
    assert response.status_code == 404


def test_a_failed_check_says_so_in_words(client, world, clerks):
    client.force_login(clerks["greffe"])
    body = client.get(reverse("workflows:queue")).content.decode()
    assert "À reprendre par un agent" in body
    assert "Locaux non conformes" in body


def test_each_row_says_what_the_generic_template_expressions_would(client, world, clerks,
                                                                    settings):
    """The rows are worked out once per page (link, state label, deadline, overdue): each
    says exactly what `{% url %}`, get_state_display, `|date:"j F Y, H:i"` in the current
    time zone and is_overdue say, and the page loads nothing more per row."""
    from django.template import engines

    settings.TIME_ZONE = "Asia/Kolkata"  # UTC+5:30: hours and minutes both shift
    reference = engines["django"].from_string(
        '{% url "workflows:task" task.pk %}|{{ task.get_state_display }}|'
        '{{ task.due_at|date:"j F Y, H:i" }}|{{ task.is_overdue }}')
    mine = engines["django"].from_string(
        "{{ task.link }}|{{ task.state_label }}|{{ task.due_label }}|{{ task.overdue }}")
    for user, expected in ((clerks["guichet"], 3), (clerks["greffe"], 1)):
        client.force_login(user)
        tasks = client.get(reverse("workflows:queue")).context["tasks"]
        assert len(tasks) == expected
        with CaptureQueriesContext(connection) as queries:
            for task in tasks:  # what the template reads: nothing deferred, nothing lazy
                (task.title, task.state, task.desk.name, task.case.reference, task.case.title,
                 task.case.applicant, task.error, str(task.assignee or ""), task.due_at)
        assert len(queries) == 0, [query["sql"] for query in queries]
        for task in tasks:
            full = Task.objects.select_related("desk", "assignee", "case").get(pk=task.pk)
            assert mine.render({"task": task}) == reference.render({"task": full}), task
            assert str(task.assignee or "") == str(full.assignee or "")


@pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"],
                    reason="the planner setting is PostgreSQL's")
def test_the_queue_leaves_the_planner_as_it_found_it(world, clerks):
    """The page walks the index by due time (SET LOCAL enable_sort off for its statement):
    inside an enclosing transaction (here, the test's), the setting is put back."""
    assert queue(clerks["guichet"]) == ids([world["overdue"], world["mine"], world["ready"]])
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_sort")
        assert cursor.fetchone()[0] == "on"


def test_the_filter_choices_follow_a_newly_published_procedure(db):
    from workflows.models import WorkflowDefinition

    procedures, steps = selectors.queue_choices()
    assert selectors.queue_choices() == (procedures, steps)
    latest = WorkflowDefinition.objects.order_by("code", "-version").first()
    WorkflowDefinition.objects.create(
        code=latest.code, version=latest.version + 1, title="Nouvel intitulé",
        spec={**latest.spec, "steps": [{"id": "tout_nouveau", "title": "Étape neuve"}]},
        checksum="0" * 64)
    procedures, steps = selectors.queue_choices()
    assert (latest.code, "Nouvel intitulé") in procedures
    assert ("tout_nouveau", "Étape neuve") in steps


# --- keyset pages ------------------------------------------------------------------------------


@pytest.fixture
def many_intakes(applicant):
    """17 ready intakes: deadlines with ties (several at one instant), and some without."""
    moment = timezone.now() + timedelta(hours=1)
    tasks = []
    for number in range(17):
        task = intake_of(start(make_permit(f"Titulaire {number}"), actor=applicant))
        if number % 5 == 4:
            due = None
        elif number % 3 == 0:
            due = moment  # a tie
        else:
            due = moment + timedelta(minutes=17 - number)
        Task.objects.filter(pk=task.pk).update(due_at=due)
        tasks.append(task.pk)
    return tasks


def test_pages_follow_due_time_then_id_with_no_deadline_last(many_intakes, clerks):
    found = queue(clerks["guichet"])
    expected = list(Task.objects.filter(pk__in=many_intakes)
                    .order_by("due_at", "pk").values_list("pk", flat=True))
    dated = [pk for pk in expected if Task.objects.get(pk=pk).due_at is not None]
    undated = sorted(set(expected) - set(dated))
    assert found == dated + undated


def test_search_pages_follow_the_same_order_in_one_query_each(many_intakes, clerks):
    """A search finds few tasks: one query a page (deadlines first, then none), same order."""
    clerk = clerks["guichet"]
    assert queue(clerk, search="titulaire") == queue(clerk)
    assert len(queue(clerk, search="titulaire")) == 17
    with CaptureQueriesContext(connection) as queries:
        page = selectors.queue_page(clerk, QueueFilters(search="titulaire"),
                                    desk_ids=desk_ids(clerk), size=20)
    assert len(page.tasks) == 17 and page.next_cursor is None
    assert len([q for q in queries if "workflows_task" in q["sql"]]) == 1


def test_pages_never_repeat_nor_skip_a_task_while_others_claim_tasks(many_intakes, clerks,
                                                                     colleague):
    clerk = clerks["guichet"]
    filters = QueueFilters(claimed=Claimed.UNCLAIMED)
    seen: list[int] = []
    taken_by_colleague: set[int] = set()
    after = None
    while True:
        page = selectors.queue_page(clerk, filters, desk_ids=desk_ids(clerk), after=after,
                                    size=4)
        seen += ids(page.tasks)
        # Between two page loads the colleague takes one task already shown and one not
        # yet shown (the oldest ones left).
        for candidate in (page.tasks[:1], Task.objects.filter(
                pk__in=set(many_intakes) - set(seen), state=TaskState.READY)
                .order_by("due_at", "pk")[:1]):
            for task in candidate:
                engine.claim_task(task_id=task.pk, user=colleague)
                taken_by_colleague.add(task.pk)
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert len(seen) == len(set(seen)), "a task was shown twice"
    never_taken = set(many_intakes) - taken_by_colleague
    assert never_taken <= set(seen), "a task that stayed in the queue was skipped"


def test_a_bad_cursor_shows_the_first_page():
    assert Cursor.decode("n'importe quoi") is None
    assert Cursor.decode("") is None
    cursor = Cursor(due_at=timezone.now().replace(microsecond=123456), task_id=42)
    assert Cursor.decode(cursor.encode()) == cursor
    assert Cursor.decode(Cursor(due_at=None, task_id=7).encode()) == Cursor(None, 7)


def test_the_next_page_link_carries_the_filters_and_the_last_task_seen(client, many_intakes,
                                                                       clerks, settings):
    client.force_login(clerks["guichet"])
    shown = []
    response = client.get(reverse("workflows:queue"), {"q": "titulaire"})
    pages = 0
    while True:
        pages += 1
        shown += ids(response.context["tasks"])
        next_query = response.context["next_query"]
        if next_query is None:
            break
        assert "q=titulaire" in next_query and "apres=" in next_query
        response = client.get(reverse("workflows:queue") + "?" + next_query)
    assert sorted(shown) == sorted(many_intakes)
    assert pages == 1  # 17 tasks fit on one page of 50


# --- the number of queries ---------------------------------------------------------------------


@pytest.mark.parametrize("params", [
    {},
    {"q": "titulaire", "prise": "non"},
    {"en_retard": "on", "etape": "intake", "procedure": "toy_permit", "etat": "ready"},
])
def test_the_queue_costs_the_same_queries_for_few_tasks_or_many(client, clerks, applicant,
                                                                 params):
    client.force_login(clerks["guichet"])

    def add(count):
        for number in range(count):
            task = intake_of(start(make_permit(f"Titulaire {number}"), actor=applicant))
            due_in(task, -1 if number % 2 else None)

    add(2)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("workflows:queue"), params)
    add(60)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("workflows:queue"), params)
    assert len(response.context["tasks"]) > 2
    assert len(many) <= len(few), [query["sql"] for query in many]
    if response.context["next_query"]:
        with CaptureQueriesContext(connection) as deep:
            client.get(reverse("workflows:queue") + "?" + response.context["next_query"])
        assert len(deep) <= len(few)


# --- take the next task ------------------------------------------------------------------------


def test_take_next_gives_the_oldest_ready_task_by_due_time(world, clerks, colleague):
    task = engine.claim_next_task(user=clerks["guichet"])
    assert task.pk == world["overdue"].pk
    task.refresh_from_db()
    assert task.state == TaskState.CLAIMED and task.assignee == clerks["guichet"]
    assert engine.claim_next_task(user=clerks["guichet"]).pk == world["ready"].pk
    # Nothing left that this clerk may take: the last ready one is their own filing.
    assert engine.claim_next_task(user=clerks["guichet"]) is None
    assert engine.claim_next_task(user=colleague).pk == world["own_filing"].pk


def test_take_next_takes_a_failed_check_but_never_a_waiting_task(world, clerks):
    assert engine.claim_next_task(user=clerks["greffe"]).pk == world["failed"].pk
    assert engine.claim_next_task(user=clerks["greffe"]) is None
    assert engine.claim_next_task(user=clerks["impots"]) is None  # licence still waiting


def test_the_take_next_button_opens_the_task_claimed(client, world, clerks):
    client.force_login(clerks["guichet"])
    response = client.post(reverse("workflows:take_next"))
    assert response.status_code == 302
    assert response.url == reverse("workflows:task", args=[world["overdue"].pk])
    assert client.get(reverse("workflows:take_next")).status_code == 405
    response = client.post(reverse("workflows:take_next"), {"guichet": "greffe"})
    assert response.status_code == 404


def test_take_next_with_nothing_to_take_says_so(client, clerks, db):
    client.force_login(clerks["impots"])
    response = client.post(reverse("workflows:take_next"), follow=True)
    assert "Aucune tâche à prendre" in response.content.decode()


@pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"],
                    reason="row locks need PostgreSQL (DATABASE_URL)")
def test_clerks_taking_the_next_task_at_once_get_different_tasks(transactional_db, make_user,
                                                                 entrepreneur):
    clerks = [make_user(f"agent{n}@cfe.example.tg", desk="guichet") for n in range(4)]
    tasks = [intake_of(start(make_permit(f"Titulaire {n}"), actor=entrepreneur)).pk
             for n in range(6)]
    barrier = threading.Barrier(len(clerks))
    taken: list[int] = []
    errors: list[BaseException] = []

    def take(user):
        try:
            barrier.wait(timeout=10)
            for _turn in range(2):
                task = engine.claim_next_task(user=user)
                if task is not None:
                    taken.append(task.pk)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(user,)) for user in clerks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(taken) == len(set(taken)) == 6
    assert sorted(taken) == sorted(tasks)
    assert Task.objects.filter(pk__in=tasks, state=TaskState.CLAIMED).count() == 6
