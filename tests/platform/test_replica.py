"""The read replica: the settings build its alias from DATABASE_REPLICA_URL, and the router
sends to it only the reads made inside workflows.replica.reading_replica(): the public
register's search and company pages, the open-data export, the dashboards. Writes, reads
outside the helper and reads inside a transaction on the primary go to the primary.

The replica here is a second connection to the test database (alias "replica", TEST MIRROR
"default"): queries are told apart by the connection that ran them. A mirror's connection
does not see the rows a test's transaction has not committed, so the tests that read rows
through it commit them (transaction=True). On the embedded defaults (in-memory SQLite) the
second connection opens the same shared in-memory database.
"""

from __future__ import annotations

import copy
import json
from datetime import timedelta

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from config.routers import ReplicaRouter
from config.settings import database_settings
from registry.models import Company, PublicEvent
from registry.public import opendata
from workflows.replica import REPLICA, reading_replica

from ..environments import production_environment, read_settings
from ..registry.public import make_company

ROUTERS = ["config.routers.ReplicaRouter"]
BOTH = [DEFAULT_DB_ALIAS, REPLICA]
# The reads of a page, by the tables they name.
REGISTER_TABLES = ("registry_company", "registry_publicevent", "registry_party",
                   "registry_companychange")


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup, django_db_blocker):
    """The "replica" alias, a second connection to the test database, for this module."""
    replica = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
    replica["TEST"]["MIRROR"] = DEFAULT_DB_ALIAS
    connections.settings[REPLICA] = replica  # settings.DATABASES itself
    yield
    with django_db_blocker.unblock():
        connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture
def routed(settings):
    """The router installed, as settings do when DATABASE_REPLICA_URL is set."""
    settings.DATABASE_ROUTERS = ROUTERS


def queries(context: CaptureQueriesContext, *tables: str) -> list[str]:
    return [query["sql"] for query in context.captured_queries
            if not tables or any(table in query["sql"] for table in tables)]


# --- settings -----------------------------------------------------------------------------


def test_the_settings_build_the_replica_alias_from_its_url():
    databases = database_settings("postgres://guichet:secret@primary:5432/guichet",
                                  "postgres://lecteur:autre@replica.internal:5433/guichet",
                                  conn_max_age=60)
    assert set(databases) == {"default", "replica"}
    assert databases["default"]["HOST"] == "primary"
    replica = databases["replica"]
    assert (replica["HOST"], replica["PORT"], replica["USER"], replica["NAME"]) == (
        "replica.internal", 5433, "lecteur", "guichet")
    # The same connection handling as the primary's, and no second test database.
    assert replica["CONN_MAX_AGE"] == databases["default"]["CONN_MAX_AGE"] == 60
    # A kept connection is checked before it serves the next request or task.
    assert replica["CONN_HEALTH_CHECKS"] is databases["default"]["CONN_HEALTH_CHECKS"] is True
    assert replica["TEST"] == {"MIRROR": "default"}


def test_without_a_replica_url_there_is_only_the_primary():
    databases = database_settings("postgres://guichet@primary/guichet", "")
    assert set(databases) == {"default"}
    # Connections closed after each request or task need no check before their first query.
    assert databases["default"]["CONN_MAX_AGE"] == 0
    assert databases["default"]["CONN_HEALTH_CHECKS"] is False


def test_the_router_is_installed_only_with_a_replica_url(tmp_path):
    names = ("DATABASES", "DATABASE_ROUTERS")
    without = read_settings(*names, env=production_environment(tmp_path))
    assert set(without["DATABASES"]) == {"default"}
    assert without["DATABASE_ROUTERS"] == []
    with_replica = read_settings(*names, env=production_environment(
        tmp_path, DATABASE_REPLICA_URL="postgres://lecteur@replica.internal/guichet",
        DJANGO_CONN_MAX_AGE="30"))
    assert with_replica["DATABASES"]["replica"]["HOST"] == "replica.internal"
    assert with_replica["DATABASES"]["replica"]["CONN_MAX_AGE"] == 30
    assert with_replica["DATABASE_ROUTERS"] == ROUTERS
    json.dumps(with_replica)  # plain values, as a deployment's environment gives them


# --- the router ---------------------------------------------------------------------------


def test_without_the_router_the_helper_changes_nothing():
    with reading_replica():
        assert router.db_for_read(Company) == DEFAULT_DB_ALIAS


def test_without_a_replica_alias_the_router_reads_the_primary(monkeypatch):
    monkeypatch.delitem(connections.settings, REPLICA)
    with reading_replica():
        assert ReplicaRouter().db_for_read(Company) == DEFAULT_DB_ALIAS


def test_the_router_reads_the_replica_only_inside_the_helper_and_writes_the_primary():
    replica_router = ReplicaRouter()
    assert replica_router.db_for_read(Company) == DEFAULT_DB_ALIAS
    with reading_replica():
        assert replica_router.db_for_read(Company) == REPLICA
        assert replica_router.db_for_write(Company) == DEFAULT_DB_ALIAS
        with reading_replica():  # nested: still inside
            assert replica_router.db_for_read(Company) == REPLICA
        assert replica_router.db_for_read(Company) == REPLICA
    assert replica_router.db_for_read(Company) == DEFAULT_DB_ALIAS
    assert replica_router.allow_migrate(DEFAULT_DB_ALIAS, "registry") is True
    assert replica_router.allow_migrate(REPLICA, "registry") is False
    on_replica, on_primary = Company(), Company()
    on_replica._state.db, on_primary._state.db = REPLICA, DEFAULT_DB_ALIAS
    assert replica_router.allow_relation(on_replica, on_primary) is True


def test_the_helper_also_decorates_and_ends_with_the_call():
    @reading_replica()
    def read():
        return ReplicaRouter().db_for_read(Company)

    assert read() == REPLICA
    assert read() == REPLICA  # the same decorator, called again
    assert ReplicaRouter().db_for_read(Company) == DEFAULT_DB_ALIAS


# --- queries, on two connections ----------------------------------------------------------

on_both = pytest.mark.django_db(transaction=True, databases=BOTH)


@on_both
def test_reads_inside_the_helper_run_on_the_replica_and_outside_on_the_primary(routed):
    make_company("Éléphant Bleu")
    with CaptureQueriesContext(connections[REPLICA]) as replica, \
            CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary:
        with reading_replica():
            assert Company.objects.filter(name="Éléphant Bleu").exists()
        assert Company.objects.count() == 1
    assert len(queries(replica, "registry_company")) == 1
    assert len(queries(primary, "registry_company")) == 1
    assert "COUNT" in queries(primary, "registry_company")[0].upper()


@on_both
def test_a_write_inside_the_helper_goes_to_the_primary(routed):
    company = make_company("Baobab Transports")
    with CaptureQueriesContext(connections[REPLICA]) as replica, \
            CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary, \
            reading_replica():
        read = Company.objects.get(pk=company.pk)  # from the replica...
        read.city = "Kara"
        read.save(update_fields=["city"])  # ...written to the primary
        PublicEvent.objects.create(company=read, kind="changed", occurred_at=timezone.now())
    assert read._state.db == DEFAULT_DB_ALIAS
    assert not [sql for sql in queries(replica) if not sql.lstrip().upper().startswith("SELECT")]
    written = [sql.lstrip().split()[0].upper() for sql in queries(primary, *REGISTER_TABLES)]
    assert "UPDATE" in written and "INSERT" in written
    assert Company.objects.get(pk=company.pk).city == "Kara"


@on_both
def test_inside_a_transaction_on_the_primary_the_helper_reads_the_primary(routed):
    make_company("Soleil Levant")
    with CaptureQueriesContext(connections[REPLICA]) as replica, transaction.atomic(), \
            reading_replica():
        Company.objects.create(**_copy_of(Company.objects.get(), "Soleil Couchant"))
        # The row just written is not on the replica: the read stays on the primary.
        assert Company.objects.filter(name="Soleil Couchant").exists()
    assert not queries(replica)


def _copy_of(company: Company, name: str) -> dict:
    fields = {field.attname: getattr(company, field.attname)
              for field in Company._meta.concrete_fields if not field.primary_key}
    return {**fields, "name": name, "rccm_number": company.rccm_number + "9",
            "normalized_name": "", "application_id": _other_application(company).pk}


def _other_application(company: Company):
    application = company.application
    application.pk = None
    application.reference += "-B"
    application.rccm_number += "9"
    application.save()
    return application


# --- the places that read the replica ----------------------------------------------------


@on_both
@pytest.mark.parametrize("params", [{}, {"q": "Elefant"}, {"q": "bleu elephant"},
                                    {"q": "TG-LOM-2026-B-99999"}, {"region": "maritime"}])
def test_the_public_search_reads_the_replica_only(client, routed, params):
    elephant = make_company("Éléphant Bleu", nif="1000123456")
    make_company("Baobab Transports", region="kara", city="Kara")
    with CaptureQueriesContext(connections[REPLICA]) as replica, \
            CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary:
        response = client.get(reverse("public:search"), params)
    assert response.status_code == 200
    assert queries(replica, "registry_company")
    # An anonymous visitor has no session to read: the primary is not asked at all.
    assert not queries(primary), queries(primary)
    if "q" in params and "99999" not in params["q"]:
        # A typo found: pg_trgm's threshold was set on the replica's connection, where
        # the search ran.
        assert [company.pk for company in response.context["companies"]] == [elephant.pk]


@on_both
def test_the_company_page_reads_the_replica_only(client, routed):
    company = make_company("Coton des Savanes", region="savanes", parties=[
        {"kind": "person", "roles": ["manager"], "first_name": "Kodjo", "last_name": "AMEGAN"}])
    with CaptureQueriesContext(connections[REPLICA]) as replica, \
            CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary:
        response = client.get(reverse("public:company", args=[company.rccm_number]))
    assert response.status_code == 200
    assert "AMEGAN" in response.content.decode()
    assert queries(replica, "registry_company") and queries(replica, "registry_publicevent")
    assert not queries(primary), queries(primary)


@on_both
def test_a_signed_in_visitor_s_session_is_read_on_the_primary(client, routed, entrepreneur):
    # Middleware reads the session and the user before the view, outside the helper: a
    # visitor who has just signed in is never signed out by a lagging replica.
    client.force_login(entrepreneur)
    make_company("Éléphant Bleu")
    with CaptureQueriesContext(connections[REPLICA]) as replica, \
            CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary:
        assert client.get(reverse("public:search")).status_code == 200
    assert not queries(replica, "django_session", "accounts_user")
    assert queries(primary, "django_session")
    assert not queries(primary, *REGISTER_TABLES)


@on_both
def test_the_open_data_export_reads_the_replica(routed):
    make_company("Éléphant Bleu")
    make_company("Baobab Transports")
    with CaptureQueriesContext(connections[REPLICA]) as replica, \
            CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary:
        export = opendata.write_export(now=timezone.now() - timedelta(minutes=1))
    assert export.rows == 2
    assert queries(replica, "registry_company")
    assert not queries(primary, *REGISTER_TABLES)


@on_both
def test_the_dashboard_s_figures_are_read_on_the_replica(client, routed, clerks):
    client.force_login(clerks["guichet"])
    with CaptureQueriesContext(connections[REPLICA]) as replica, \
            CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary:
        assert client.get(reverse("workflows:dashboard")).status_code == 200
        csv = client.get(reverse("workflows:dashboard_csv", args=["guichets"]))
    assert csv.status_code == 200
    assert queries(replica, "workflows_task")
    assert not queries(primary, "workflows_task")
    # Who is asking (session, user, desks for the menu) is read on the primary.
    assert queries(primary, "django_session")
