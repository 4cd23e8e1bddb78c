"""The authorization matrix: every URL pattern of the site, against every role.

The patterns are enumerated from the URL resolver, so a new view without a line in
MATRIX (or in the admin / allauth rules below) makes test_every_url_pattern_is_classified
fail. Each (request, role) pair is one test; a refused request (login, second factor,
403, 404, 405) must leave the database as it was.

The answers are read as in MATRIX's legend below.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .world import ROLES, World, snapshot

REFUSED = {"login", "mfa", "adminlogin", "401", "403", "404", "405", "302!"}


@dataclass(frozen=True)
class Target:
    """One concrete request: a URL pattern (by name) with arguments built from the world."""

    name: str
    kwargs: Callable[[World], dict] = lambda world: {}
    query: str = ""
    data: Callable[[World], dict] = lambda world: {}


def task(key: str, action: str | None = None) -> Callable[[World], dict]:
    if action is None:
        return lambda world: {"task_id": world.tasks[key].pk}
    return lambda world: {"task_id": world.tasks[key].pk, "action": action}


def draft(**extra) -> Callable[[World], dict]:
    return lambda world: {"reference": world.draft.reference,
                          **{k: v(world) if callable(v) else v for k, v in extra.items()}}


PARTY = {"party_id": lambda world: world.party_id}

# Tasks of filing A: intake done at guichet, registry ready at greffe, tax and registrar
# waiting (A has not reached impots nor greffier); C waits at greffier.
TARGETS: dict[str, Target] = {
    "home": Target("home"),
    "health": Target("health"),
    "verify_upload": Target("documents:verify_upload"),
    "verify_code[certificate]": Target(
        "documents:verify_code", lambda w: {"code": w.verification_code}),
    "set_language": Target("set_language", data=lambda w: {"language": "en", "next": "/"}),
    "preferences": Target("preferences"),
    "notifications": Target("notifications:list"),
    "notification[owner's]": Target(
        "notifications:open", lambda w: {"notification_id": w.notification_id}),
    "notifications:mark_all_read": Target("notifications:mark_all_read"),
    "applications": Target("registry:applications"),
    "application_create": Target("registry:application_create"),
    "name_check": Target("registry:name_check", query="?name=Kara+Transport"),
    "activity_search": Target("registry:activity_search", query="?q=commerce"),
    "application[draft]": Target("registry:application", draft()),
    "application[A]": Target("registry:application",
                             lambda w: {"reference": w.filing.reference}),
    "section[draft,names]": Target("registry:section", draft(section="names")),
    "people[draft]": Target("registry:people", draft()),
    "party_add[draft]": Target("registry:party_add", draft()),
    "party_edit[draft]": Target("registry:party_edit", draft(**PARTY)),
    "party_remove[draft]": Target("registry:party_remove", draft(**PARTY)),
    "documents[draft]": Target("registry:documents", draft()),
    "statutes[draft]": Target("registry:statutes", draft()),
    "review[draft]": Target("registry:review", draft()),
    "sign[draft]": Target("registry:sign", draft()),
    "withdraw[draft]": Target("registry:application_withdraw", draft()),
    "certificate[B]": Target("registry:certificate",
                             lambda w: {"reference": w.registered.reference}),
    "rccm_extract[B]": Target("registry:rccm_extract",
                              lambda w: {"reference": w.registered.reference}),
    "later_document_upload[B]": Target("registry:later_document_upload",
                                       lambda w: {"reference": w.registered.reference}),
    "amendments:index": Target("amendments:index"),
    "amendments:start[B]": Target("amendments:start",
                                  lambda w: {"reference": w.registered.reference},
                                  data=lambda w: {"change_type": "capital"}),
    "amendments:filers[B]": Target("amendments:filers",
                                   lambda w: {"reference": w.registered.reference},
                                   data=lambda w: {"email": "inconnu@example.tg"}),
    "amendment[B draft]": Target("amendments:detail",
                                 lambda w: {"reference": w.amendment.reference}),
    "amendment_edit[B draft]": Target("amendments:edit",
                                      lambda w: {"reference": w.amendment.reference}),
    "amendment_documents[B draft]": Target("amendments:documents",
                                           lambda w: {"reference": w.amendment.reference}),
    "amendment_sign[B draft]": Target("amendments:sign",
                                      lambda w: {"reference": w.amendment.reference}),
    "amendment_withdraw[B draft]": Target("amendments:withdraw",
                                          lambda w: {"reference": w.amendment.reference}),
    "amendment_extract[B inscribed]": Target("amendments:extract",
                                             lambda w: {"reference": w.amended.reference}),
    "amendment_doc[B inscribed]": Target(
        "amendments:staff_document", lambda w: {"reference": w.amended.reference,
                                                "document_id": w.amended_document_id}),
    "overdue_extracts": Target("registry:overdue_extracts"),
    "register_search": Target("registry:register_search", query="?q=inconnu"),
    "registration_statistics": Target("registry:registration_statistics"),
    "registration_statistics[csv]": Target("registry:registration_statistics",
                                           query="?format=csv&figure=formes"),
    "company_register[B]": Target("registry:company_register",
                                  lambda w: {"reference": w.registered.reference}),
    "revoke_document[B:certificate]": Target(
        "registry:revoke_document",
        lambda w: {"reference": w.registered.reference,
                   "document_id": w.registered.company.certificate_id},
        data=lambda w: {"reason": "struck_off", "public_reason": "", "confirm": "1"}),
    "reissue_certificate[B]": Target(
        "registry:reissue_certificate", lambda w: {"reference": w.registered.reference},
        data=lambda w: {"reason": "register_corrected"}),
    "staff_document[A]": Target("registry:staff_document", lambda w: {
        "reference": w.filing.reference, "document_id": w.document_id}),
    "staff_document[C]": Target("registry:staff_document", lambda w: {
        "reference": w.at_registrar.reference, "document_id": w.registrar_document_id}),
    "staff_document[A, C's id]": Target("registry:staff_document", lambda w: {
        "reference": w.filing.reference, "document_id": w.registrar_document_id}),
    "queue": Target("workflows:queue"),
    "dashboard": Target("workflows:dashboard"),
    "dashboard_csv[guichets]": Target("workflows:dashboard_csv",
                                      lambda w: {"figure": "guichets"}),
    "take_next": Target("workflows:take_next"),
    "task[A:intake, guichet approved]": Target("workflows:task", task("A:intake")),
    "task[A:registry, greffe ready]": Target("workflows:task", task("A:registry")),
    "task[A:tax, impots waiting]": Target("workflows:task", task("A:tax")),
    "task[A:registrar, greffier waiting]": Target("workflows:task", task("A:registrar")),
    "task[C:registrar, greffier ready]": Target("workflows:task", task("C:registrar")),
    "claim[A:registry]": Target("workflows:task_action", task("A:registry", "claim")),
    "note[A:registry]": Target("workflows:task_note", task("A:registry"),
                               data=lambda w: {"text": "Note interne."}),
    "approve[A:registry]": Target("workflows:task_action", task("A:registry", "approve"),
                                  data=lambda w: {"comment": "Conforme."}),
    "reject[A:registry]": Target("workflows:task_action", task("A:registry", "reject"),
                                 data=lambda w: {"comment": "Non conforme."}),
    "reassign[A:registry]": Target("workflows:task_action", task("A:registry", "reassign"),
                                   data=lambda w: {"assignee": w.users["desk"].pk}),
    "unknown_action[A:registry]": Target("workflows:task_action",
                                         task("A:registry", "delete")),
    "claim[A:tax]": Target("workflows:task_action", task("A:tax", "claim")),
    "claim[A:registrar]": Target("workflows:task_action", task("A:registrar", "claim")),
    "claim[C:registrar]": Target("workflows:task_action", task("C:registrar", "claim")),
    # Supervision of the court registry (greffe): A:registry is ready there, unclaimed.
    "supervision": Target("workflows:supervision"),
    "supervision_desk[greffe]": Target("workflows:supervision_desk",
                                       lambda w: {"desk_code": "greffe"}),
    "supervision_release[A:registry]": Target(
        "workflows:supervision_task_action",
        lambda w: {"desk_code": "greffe", "task_id": w.tasks["A:registry"].pk,
                   "action": "release"}),
    "supervision_reassign[A:registry]": Target(
        "workflows:supervision_task_action",
        lambda w: {"desk_code": "greffe", "task_id": w.tasks["A:registry"].pk,
                   "action": "reassign"},
        data=lambda w: {"assignee": w.users["desk"].pk}),
    "supervision_rerun[A:registry]": Target(
        "workflows:supervision_task_action",
        lambda w: {"desk_code": "greffe", "task_id": w.tasks["A:registry"].pk,
                   "action": "rerun"}),
    "member_absence[greffe clerk]": Target(
        "workflows:member_absence",
        lambda w: {"desk_code": "greffe", "user_id": w.users["desk"].pk},
        data=lambda w: {"absent": "1"}),
    "member_second_factor[greffe clerk]": Target(
        "workflows:member_second_factor",
        lambda w: {"desk_code": "greffe", "user_id": w.users["desk"].pk},
        data=lambda w: {"confirmer": "1"}),
    "my_absence": Target("workflows:my_absence", data=lambda w: {"absent": "0"}),
    "invoice[D]": Target("payments:invoice", lambda w: {"number": w.unpaid_invoice}),
    "pay[D]": Target("payments:pay", lambda w: {"number": w.unpaid_invoice},
                     data=lambda w: {"channel": "nowhere"}),
    "returned[A]": Target("payments:returned", lambda w: {"reference": w.paid_payment}),
    "receipt[A]": Target("payments:receipt", lambda w: {"reference": w.paid_payment}),
    "notification[fedapay]": Target("payments:notification", lambda w: {"channel": "fedapay"}),
    "counter": Target("payments:counter"),
    "counter_invoice[D]": Target("payments:counter_invoice",
                                 lambda w: {"number": w.unpaid_invoice},
                                 data=lambda w: {"method": "cash", "amount": "25000"}),
    "waive[D]": Target("payments:waive", lambda w: {"number": w.unpaid_invoice},
                       data=lambda w: {"reason": "Programme d'appui aux jeunes."}),
    "counter_day": Target("payments:counter_day"),
    "closings": Target("payments:closings"),
    "closing_csv": Target("payments:closing_csv", lambda w: {"closing_id": w.closing_id}),
    "closing_pdf": Target("payments:closing_pdf", lambda w: {"closing_id": w.closing_id}),
    "public:search": Target("public:search", query="?q=mono"),
    "public:company[B]": Target("public:company", lambda w: {
        "rccm_number": w.registered.company.rccm_number}),
    "guide:index": Target("guide:index"),
    "guide:detail[SARL]": Target("guide:detail", lambda w: {"legal_form": "SARL"}),
    "guide:open_data": Target("guide:open_data"),
    "guide:open_data_download[none yet]": Target("guide:open_data_download",
                                                 lambda w: {"name": "manifest.json"}),
    "guide:statistics": Target("guide:statistics"),
    # The partner API authenticates by token only: a browser session is no credential.
    "api:schema": Target("partners:schema"),
    "api:companies": Target("partners:companies"),
    "api:company[B]": Target("partners:company", lambda w: {
        "rccm": w.registered.company.rccm_number}),
    "api:registrations": Target("partners:registrations"),
    "api:desk_filings": Target("partners:desk_filings"),
    "api:filing_nif[A]": Target("partners:filing_nif", lambda w: {
        "reference": w.filing.reference}, data=lambda w: {"nif": "1000428517"}),
    "api:filing_employer_number[A]": Target("partners:filing_employer_number", lambda w: {
        "reference": w.filing.reference}, data=lambda w: {"employer_number": "123456"}),
    "my_data": Target("privacy:my_data"),
    "my_data:download": Target("privacy:download"),
    "my_data:correction": Target("privacy:correction"),
    "my_data:close_account": Target("privacy:close_account"),
    "staff_access_log": Target("privacy:access_log"),
    # The admin site and allauth, by representative pages (their other patterns: below).
    "admin:index": Target("admin:index"),
    "admin:applications": Target("admin:registry_application_changelist"),
    "admin:application[A]": Target("admin:registry_application_change",
                                   lambda w: {"object_id": w.filing.pk}),
    "admin:cases": Target("admin:workflows_case_changelist"),
    "admin:users": Target("admin:accounts_user_changelist"),
    "account_login": Target("account_login"),
    "account_signup": Target("account_signup"),
    "account_logout": Target("account_logout"),
    "account_reset_password": Target("account_reset_password"),
    "account_email": Target("account_email"),
    "account_change_password": Target("account_change_password"),
    "mfa_index": Target("mfa_index"),
    "mfa_activate_totp": Target("mfa_activate_totp"),
}

# Expected answers, one column per role (COLUMNS; world.py says who each one is).
# in = 302 to the sign-in page, adm = 302 to the admin's sign-in, mfa = 302 to "set up
# two-factor authentication", 302! = a redirect refusing with an error message (the
# service said no): like every refusal, it must change nothing.
COLUMNS = dict(zip(
    ("anon", "own", "oth", "desk", "odsk", "late", "sup", "reg", "cash", "admn", "nmfa",
     "mgr"),
    ROLES, strict=True))
SHORT = {"in": "login", "adm": "adminlogin"}
MATRIX = """
request                                  anon  own  oth desk odsk late  sup  reg cash admn nmfa  mgr
GET  home                                 200  200  200  200  200  200  200  200  200  200  200  200
GET  health                               200  200  200  200  200  200  200  200  200  200  200  200
GET  verify_upload                        200  200  200  200  200  200  200  200  200  200  200  200
POST verify_upload                        200  200  200  200  200  200  200  200  200  200  200  200
GET  verify_code[certificate]             200  200  200  200  200  200  200  200  200  200  200  200
GET  set_language                         405  405  405  405  405  405  405  405  405  405  405  405
POST set_language                         302  302  302  302  302  302  302  302  302  302  302  302
GET  preferences                           in  200  200  200  200  200  200  200  200  200  200  200
POST preferences                           in  200  200  200  200  200  200  200  200  200  200  200
GET  notifications                         in  200  200  200  200  200  200  200  200  200  200  200
GET  notification[owner's]                 in  302  404  404  404  404  404  404  404  404  404  404
GET  notifications:mark_all_read          405  405  405  405  405  405  405  405  405  405  405  405
POST notifications:mark_all_read           in  302  302  302  302  302  302  302  302  302  302  302
GET  applications                          in  200  200  200  200  200  200  200  200  200  200  200
GET  application_create                    in  200  200  200  200  200  200  200  200  200  200  200
POST application_create                    in  200  200  200  200  200  200  200  200  200  200  200
GET  name_check                            in  200  200  200  200  200  200  200  200  200  200  200
POST name_check                           405  405  405  405  405  405  405  405  405  405  405  405
GET  activity_search                       in  200  200  200  200  200  200  200  200  200  200  200
GET  application[draft]                    in  200  404  404  404  404  404  404  404  404  404  404
GET  application[A]                        in  200  404  404  404  404  404  404  404  404  404  404
GET  section[draft,names]                  in  200  404  404  404  404  404  404  404  404  404  404
POST section[draft,names]                  in  200  404  404  404  404  404  404  404  404  404  404
GET  people[draft]                         in  200  404  404  404  404  404  404  404  404  404  404
GET  party_add[draft]                      in  200  404  404  404  404  404  404  404  404  404  404
POST party_add[draft]                      in  200  404  404  404  404  404  404  404  404  404  404
GET  party_edit[draft]                     in  200  404  404  404  404  404  404  404  404  404  404
POST party_edit[draft]                     in  200  404  404  404  404  404  404  404  404  404  404
GET  party_remove[draft]                  405  405  405  405  405  405  405  405  405  405  405  405
POST party_remove[draft]                   in  302  404  404  404  404  404  404  404  404  404  404
GET  documents[draft]                      in  200  404  404  404  404  404  404  404  404  404  404
POST documents[draft]                      in  200  404  404  404  404  404  404  404  404  404  404
GET  statutes[draft]                       in  200  404  404  404  404  404  404  404  404  404  404
GET  review[draft]                         in  200  404  404  404  404  404  404  404  404  404  404
POST review[draft]                         in  200  404  404  404  404  404  404  404  404  404  404
GET  sign[draft]                           in  200  404  404  404  404  404  404  404  404  404  404
POST sign[draft]                           in  200  404  404  404  404  404  404  404  404  404  404
GET  withdraw[draft]                       in  200  404  404  404  404  404  404  404  404  404  404
POST withdraw[draft]                       in  200  404  404  404  404  404  404  404  404  404  404
GET  certificate[B]                       404  200  404  404  404  404  404  404  404  404  404  404
GET  rccm_extract[B]                      405  405  405  405  405  405  405  405  405  405  405  405
POST rccm_extract[B]                      404  200  404  404  404  404  404  404  404  404  404  404
GET  later_document_upload[B]             405  405  405  405  405  405  405  405  405  405  405  405
POST later_document_upload[B]              in 302!  404  404  404  404  404  404  404  404  404  404
GET  amendments:index                      in  200  200  200  200  200  200  200  200  200  200  200
POST amendments:index                     405  405  405  405  405  405  405  405  405  405  405  405
GET  amendments:start[B]                   in  200  404  404  404  404  404  404  404  404  404  404
POST amendments:start[B]                   in 302!  404  404  404  404  404  404  404  404  404  404
GET  amendments:filers[B]                  in  200  404  404  404  404  404  404  404  404  404  404
POST amendments:filers[B]                  in 302!  404  404  404  404  404  404  404  404  404  404
GET  amendment[B draft]                    in  200  404  404  404  404  404  404  404  404  404  404
POST amendment[B draft]                   405  405  405  405  405  405  405  405  405  405  405  405
GET  amendment_edit[B draft]               in  200  404  404  404  404  404  404  404  404  404  404
POST amendment_edit[B draft]               in  200  404  404  404  404  404  404  404  404  404  404
GET  amendment_documents[B draft]          in  200  404  404  404  404  404  404  404  404  404  404
POST amendment_documents[B draft]          in  200  404  404  404  404  404  404  404  404  404  404
GET  amendment_sign[B draft]               in  200  404  404  404  404  404  404  404  404  404  404
POST amendment_sign[B draft]               in  200  404  404  404  404  404  404  404  404  404  404
GET  amendment_withdraw[B draft]          405  405  405  405  405  405  405  405  405  405  405  405
POST amendment_withdraw[B draft]           in  302  404  404  404  404  404  404  404  404  404  404
GET  amendment_extract[B inscribed]        in  200  404  404  404  404  404  404  404  404  404  404
POST amendment_extract[B inscribed]       405  405  405  405  405  405  405  405  405  405  405  405
GET  amendment_doc[B inscribed]            in  403  403  200  200  404  200  200  404  403  mfa  403
POST amendment_doc[B inscribed]           405  405  405  405  405  405  405  405  405  405  405  405
GET  overdue_extracts                      in  403  403  200  403  403  200  403  403  403  mfa  403
POST overdue_extracts                     405  405  405  405  405  405  405  405  405  405  405  405
GET  register_search                       in  403  403  403  403  403  403  200  403  403  mfa  403
POST register_search                      405  405  405  405  405  405  405  405  405  405  405  405
GET  registration_statistics               in  403  403  200  200  200  200  200  200  403  mfa  200
GET  registration_statistics[csv]          in  403  403  200  200  200  200  200  200  403  mfa  200
POST registration_statistics              405  405  405  405  405  405  405  405  405  405  405  405
GET  company_register[B]                   in  403  403  403  403  403  403  200  403  403  mfa  403
GET  revoke_document[B:certificate]        in  403  403  403  403  403  403  200  403  403  mfa  403
POST revoke_document[B:certificate]        in  403  403  403  403  403  403  302  403  403  mfa  403
GET  reissue_certificate[B]               405  405  405  405  405  405  405  405  405  405  405  405
POST reissue_certificate[B]                in  403  403  403  403  403  403  200  403  403  mfa  403
GET  staff_document[A]                     in  403  403  200  200  404  200  404  404  403  mfa  403
GET  staff_document[C]                     in  403  403  200  200  200  200  200  404  403  mfa  403
GET  staff_document[A, C's id]             in  403  403  404  404  404  404  404  404  403  mfa  403
GET  queue                                 in  403  403  200  200  200  200  200  200  403  mfa  403
GET  dashboard                             in  403  403  200  200  200  200  200  200  403  mfa  200
GET  dashboard_csv[guichets]               in  403  403  200  200  200  200  200  200  403  mfa  200
GET  take_next                            405  405  405  405  405  405  405  405  405  405  405  405
POST take_next                             in  403  403  302  302  302  302  302  302  403  mfa  403
GET  task[A:intake, guichet approved]      in  403  403  404  200  404  404  404  404  403  mfa  403
GET  task[A:registry, greffe ready]        in  403  403  200  404  404  200  404  404  403  mfa  403
GET  task[A:tax, impots waiting]           in  403  403  404  404  404  404  404  404  403  mfa  403
GET  task[A:registrar, greffier waiting]   in  403  403  404  404  404  404  404  404  403  mfa  403
GET  task[C:registrar, greffier ready]     in  403  403  404  404  404  404  200  404  403  mfa  403
GET  claim[A:registry]                    405  405  405  405  405  405  405  405  405  405  405  405
POST claim[A:registry]                     in  403  403  302  404  404  302  404  404  403  mfa  403
GET  note[A:registry]                     405  405  405  405  405  405  405  405  405  405  405  405
POST note[A:registry]                      in  403  403  302  404  404  302  404  404  403  mfa  403
POST approve[A:registry]                   in  403  403 302!  404  404 302!  404  404  403  mfa  403
POST reject[A:registry]                    in  403  403 302!  404  404 302!  404  404  403  mfa  403
POST reassign[A:registry]                  in  403  403 302!  404  404  302  404  404  403  mfa  403
POST unknown_action[A:registry]            in  403  403  404  404  404  404  404  404  403  mfa  403
POST claim[A:tax]                          in  403  403  404  404  404  404  404  404  403  mfa  403
POST claim[A:registrar]                    in  403  403  404  404  404  404  404  404  403  mfa  403
POST claim[C:registrar]                    in  403  403  404  404  404  404  302  404  403  mfa  403
GET  supervision                           in  403  403  403  403  403  302  403  403  403  mfa  403
GET  supervision_desk[greffe]              in  403  403  403  403  403  200  403  403  403  mfa  403
GET  supervision_release[A:registry]      405  405  405  405  405  405  405  405  405  405  405  405
POST supervision_release[A:registry]       in  403  403  403  403  403 302!  403  403  403  mfa  403
POST supervision_reassign[A:registry]      in  403  403  403  403  403  302  403  403  403  mfa  403
POST supervision_rerun[A:registry]         in  403  403  403  403  403 302!  403  403  403  mfa  403
GET  member_absence[greffe clerk]         405  405  405  405  405  405  405  405  405  405  405  405
POST member_absence[greffe clerk]          in  403  403  403  403  403  302  403  403  403  mfa  403
GET  member_second_factor[greffe clerk]    in  403  403  403  403  403  200  403  403  403  mfa  403
POST member_second_factor[greffe clerk]    in  403  403  403  403  403  302  403  403  403  mfa  403
GET  my_absence                           405  405  405  405  405  405  405  405  405  405  405  405
POST my_absence                            in  403  403  302  302  302  302  302  302  403  mfa  403
GET  public:search                        200  200  200  200  200  200  200  200  200  200  200  200
GET  public:company[B]                    200  200  200  200  200  200  200  200  200  200  200  200
GET  guide:index                          200  200  200  200  200  200  200  200  200  200  200  200
GET  guide:detail[SARL]                   200  200  200  200  200  200  200  200  200  200  200  200
GET  guide:open_data                      200  200  200  200  200  200  200  200  200  200  200  200
GET  guide:statistics                     200  200  200  200  200  200  200  200  200  200  200  200
GET  api:schema                           200  200  200  200  200  200  200  200  200  200  200  200
GET  guide:open_data_download[none yet]   404  404  404  404  404  404  404  404  404  404  404  404
POST public:search                        405  405  405  405  405  405  405  405  405  405  405  405
POST guide:index                          405  405  405  405  405  405  405  405  405  405  405  405
POST api:schema                           405  405  405  405  405  405  405  405  405  405  405  405
GET  api:companies                        401  401  401  401  401  401  401  401  401  401  401  401
POST api:companies                        401  401  401  401  401  401  401  401  401  401  401  401
GET  api:company[B]                       401  401  401  401  401  401  401  401  401  401  401  401
POST api:company[B]                       401  401  401  401  401  401  401  401  401  401  401  401
GET  api:registrations                    401  401  401  401  401  401  401  401  401  401  401  401
POST api:registrations                    401  401  401  401  401  401  401  401  401  401  401  401
GET  api:desk_filings                     401  401  401  401  401  401  401  401  401  401  401  401
POST api:desk_filings                     401  401  401  401  401  401  401  401  401  401  401  401
GET  api:filing_nif[A]                    401  401  401  401  401  401  401  401  401  401  401  401
POST api:filing_nif[A]                    401  401  401  401  401  401  401  401  401  401  401  401
GET  api:filing_employer_number[A]        401  401  401  401  401  401  401  401  401  401  401  401
POST api:filing_employer_number[A]        401  401  401  401  401  401  401  401  401  401  401  401
GET  my_data                               in  200  200  200  200  200  200  200  200  200  200  200
GET  my_data:download                      in  405  405  405  405  405  405  405  405  405  405  405
POST my_data:download                      in  200  200  200  200  200  200  200  200  200  200  200
POST my_data:correction                    in  400  400  400  400  400  400  400  400  400  400  400
POST my_data:close_account                 in  400  400  400  400  400  400  400  400  400  400  400
GET  invoice[D]                            in  200  404  404  404  404  404  404  200  200  404  404
POST invoice[D]                           405  405  405  405  405  405  405  405  405  405  405  405
GET  pay[D]                               405  405  405  405  405  405  405  405  405  405  405  405
POST pay[D]                                in 302!  404  404  404  404  404  404  404  404  404  404
GET  returned[A]                           in  302  404  404  404  404  404  404  302  302  404  404
GET  receipt[A]                            in  200  404  404  404  404  404  404  200  200  404  404
GET  notification[fedapay]                405  405  405  405  405  405  405  405  405  405  405  405
POST notification[fedapay]                400  400  400  400  400  400  400  400  400  400  400  400
GET  counter                               in  403  403  403  403  403  403  403  200  200  403  403
GET  counter_invoice[D]                    in  403  403  403  403  403  403  403  200  200  403  403
POST counter_invoice[D]                    in  403  403  403  403  403  403  403  200  403  403  403
GET  waive[D]                             405  405  405  405  405  405  405  405  405  405  405  405
POST waive[D]                              in  403  403  403  403  403  403  403  403  200  403  403
GET  counter_day                           in  403  403  403  403  403  403  403  200  403  403  403
GET  closings                              in  403  403  403  403  403  403  403  200  403  403  403
GET  closing_csv                           in  403  403  403  403  403  403  403  200  403  403  403
GET  closing_pdf                           in  403  403  403  403  403  403  403  200  403  403  403
GET  staff_access_log                      in  403  403  403  403  403  200  403  403  403  mfa  403
GET  admin:index                          adm  adm  adm  adm  adm  adm  adm  adm  adm  200  adm  adm
GET  admin:applications                   adm  adm  adm  adm  adm  adm  adm  adm  adm  200  adm  adm
GET  admin:application[A]                 adm  adm  adm  adm  adm  adm  adm  adm  adm  200  adm  adm
POST admin:application[A]                 adm  adm  adm  adm  adm  adm  adm  adm  adm  200  adm  adm
GET  admin:cases                          adm  adm  adm  adm  adm  adm  adm  adm  adm  200  adm  adm
GET  admin:users                          adm  adm  adm  adm  adm  adm  adm  adm  adm  200  adm  adm
GET  account_login                        200  302  302  302  302  302  302  302  302  302  302  302
GET  account_signup                       200  302  302  302  302  302  302  302  302  302  302  302
GET  account_logout                       302  200  200  200  200  200  200  200  200  200  200  200
POST account_logout                       302  302  302  302  302  302  302  302  302  302  302  302
GET  account_reset_password               200  200  200  200  200  200  200  200  200  200  200  200
GET  account_email                         in  200  200  200  200  200  200  200  200  200  200  200
GET  account_change_password               in  200  200  200  200  200  200  200  200  200  200  200
GET  mfa_index                             in  200  200  200  200  200  200  200  200  200  200  200
GET  mfa_activate_totp                     in  302  302  302  302  302  302  302  302  302  302  302
"""

def parse(table: str) -> dict[tuple[str, str], list[str]]:
    rows = {}
    lines = [line for line in table.strip().splitlines() if line.strip()]
    header = lines[0].split()[1:]
    assert [COLUMNS[column] for column in header] == list(ROLES), header
    for line in lines[1:]:
        method, rest = line.split(maxsplit=1)
        target, *answers = rest.rsplit(maxsplit=len(ROLES))
        assert len(answers) == len(ROLES), line
        rows[(method, target.strip())] = [SHORT.get(answer, answer) for answer in answers]
    return rows


EXPECTED = parse(MATRIX)


def outcome(response) -> str:
    if response.status_code == 302:
        location = response["Location"]
        for answer, url in (("login", reverse("account_login")),
                            ("mfa", reverse("mfa_activate_totp")),
                            ("adminlogin", reverse("admin:login"))):
            if location.startswith(url):
                return answer
    return str(response.status_code)


def _cases():
    for (method, target), answers in EXPECTED.items():
        for role, answer in zip(ROLES, answers, strict=True):
            yield pytest.param(method, target, role, answer, id=f"{method} {target} · {role}")


@pytest.fixture(autouse=True)
def _isolated():
    """Replaces the suite's own: the world's files live in a folder of the module, which a
    per-test MEDIA_ROOT would hide; the cache is emptied (allauth's rate limits)."""
    cache.clear()


@pytest.fixture
def client_as(world):
    def make(role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(world.users[role])
        return client

    return make


@pytest.mark.parametrize(("method", "target", "role", "expected"), list(_cases()))
def test_matrix(db, world, client_as, method, target, role, expected):
    spec = TARGETS[target]
    url = reverse(spec.name, kwargs=spec.kwargs(world)) + spec.query
    client = client_as(role)
    before = snapshot() if expected in REFUSED else None
    response = client.get(url) if method == "GET" else client.post(url, spec.data(world))
    answer = outcome(response)
    if response.streaming:
        # Read to the end, as a server does: the test client then closes the response
        # without closing the test's database connection.
        b"".join(response.streaming_content)
    if expected == "302!" and answer == "302":
        answer = "302!" if _refused_with_a_message(response) else "302"
    assert answer == expected, f"{method} {url} as {role}: {answer}, expected {expected}"
    if before is not None:
        assert snapshot() == before, f"{method} {url} as {role} was refused but changed data"


def _refused_with_a_message(response) -> bool:
    return any(message.level_tag == "error"
               for message in get_messages(response.wsgi_request))


# --- every pattern of the resolver is accounted for -------------------------------------------

# allauth's other pages: flows that need a key, a code or a pending login, guarded by allauth
# itself. Anonymous visitors get the answer shown (kwargs: a made-up key).
ALLAUTH_FLOWS = {
    "account_inactive": ({}, "200"),
    "account_reauthenticate": ({}, "login"),
    "account_request_reauthentication_code": ({}, "login"),
    "account_confirm_reauthentication_code": ({}, "login"),
    "account_email_verification_sent": ({}, "200"),
    "account_set_password": ({}, "login"),
    "account_confirm_login_code": ({}, "login"),
    "account_confirm_email": ({"key": "inconnue"}, "200"),
    "account_reset_password_from_key_done": ({}, "200"),
    "account_reset_password_from_key": ({"uidb36": "1", "key": "inconnue"}, "200"),
    "account_reset_password_done": ({}, "200"),
    "mfa_authenticate": ({}, "login"),
    "mfa_reauthenticate": ({}, "login"),
    "mfa_deactivate_totp": ({}, "login"),
    "mfa_view_recovery_codes": ({}, "login"),
    "mfa_generate_recovery_codes": ({}, "login"),
    "mfa_download_recovery_codes": ({}, "login"),
}
# Routes that exist only with DEBUG (config/urls.py), by their pattern.
DEBUG_ONLY = {"^media/(?P<path>.*)$"}


def _patterns(patterns=None, prefix="", namespace=""):
    """(key, route, callback module) of every pattern: key is namespace:name, or the route
    for an unnamed one."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            assert isinstance(pattern, URLPattern)
            route = prefix + str(pattern.pattern)
            key = namespace + pattern.name if pattern.name else route
            yield key, route, pattern.lookup_str


def _admin(route: str) -> bool:
    return route.startswith("admin/")


def test_every_url_pattern_is_classified():
    named = {target.name for target in TARGETS.values()}
    unclassified = [
        f"{route} ({key})" for key, route, _ in _patterns()
        if key not in named and key not in ALLAUTH_FLOWS and key not in DEBUG_ONLY
        and not _admin(route)]
    assert not unclassified, f"unclassified URL: add it to MATRIX: {unclassified}"


def test_every_target_has_a_row_and_every_row_a_target():
    assert {target for _, target in EXPECTED} == set(TARGETS)


@pytest.mark.parametrize("name", sorted(ALLAUTH_FLOWS))
def test_allauth_flows_for_anonymous_visitors(db, client, name):
    kwargs, expected = ALLAUTH_FLOWS[name]
    assert outcome(client.get(reverse(name, kwargs=kwargs))) == expected


# The admin site: every page of it, for everyone who is not an administrator with a second
# factor, sends to the admin's sign-in (itself allauth's); signing out redirects. Its
# sign-in page: allauth's for
# visitors, refused to non-staff, the form again for staff without the second factor.
ADMIN_LOGIN = {"anonymous": "login", "desk": "403", "no_mfa": "200"}
ADMIN_VALUES = {"object_id": "1", "id": "1", "content_type_id": "1"}


def _admin_url(route: str) -> str:
    """The route with its arguments filled in (regex routes: an app's index, any path)."""
    url = re.sub(r"\^\(\?P<app_label>[^)]*\)/\$$", "registry/", route)
    url = re.sub(r"\(\?P<url>\.\*\)\$$", "inconnu/", url)
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda match: ADMIN_VALUES[match.group(1)], url)
    return "/" + url


def _admin_cases():
    for key, route, _ in _patterns():
        if _admin(route):
            yield pytest.param(key, route, id=key)


@pytest.mark.parametrize(("key", "route"), list(_admin_cases()))
@pytest.mark.parametrize("role", ["anonymous", "desk", "no_mfa"])
def test_the_admin_site_lets_in_only_administrators(db, world, client_as, role, key, route):
    url = _admin_url(route)
    before = snapshot()
    answer = outcome(client_as(role).get(url))
    expected = {"admin:login": ADMIN_LOGIN[role], "admin:logout": "302"}.get(key, "adminlogin")
    assert answer == expected, f"{url} as {role}: {answer}"
    assert snapshot() == before


@pytest.mark.skipif(not settings.DEBUG, reason="the development switch is what once added it")
def test_uploaded_files_are_never_served_by_path():
    from django.urls import Resolver404, resolve

    try:
        match = resolve(settings.MEDIA_URL + "documents/piece-identite.pdf")
    except Resolver404:
        return
    assert match.func.__module__ != "django.views.static"
