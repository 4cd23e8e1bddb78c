"""The in-app notifications: a person's own list, newest first and paginated, the unread
count in the header, opening one marks it read and follows only a link on this site."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from notifications.context_processors import unread_notifications
from notifications.models import Notification
from notifications.selectors import notifications_for, unread_count

pytestmark = pytest.mark.django_db

LIST_URL = "/notifications/"


@pytest.fixture
def person(make_user):
    return make_user("akouvi@example.tg")


@pytest.fixture
def colleague(make_user):
    return make_user("kodjo@example.tg")


def note(user, number: int = 1, *, link: str = "", read: bool = False) -> Notification:
    return Notification.objects.create(
        recipient=user, event="desk_approved", about=f"workflows.task:{number}",
        language="fr", title=f"Étape {number} validée", body=f"Corps {number}", link=link,
        created_at=timezone.now() - timedelta(minutes=1000 - number),
        read_at=timezone.now() if read else None,
    )


def open_url(notification: Notification) -> str:
    return reverse("notifications:open", args=[notification.pk])


# --- The list ---------------------------------------------------------------------------


def test_the_urls_are_the_french_ones():
    assert reverse("notifications:list") == LIST_URL
    assert reverse("notifications:mark_all_read") == "/notifications/tout-lu/"


def test_the_list_needs_a_signed_in_person(client, person):
    note(person)

    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert "next=/notifications/" in response["Location"]


def test_the_list_shows_ones_own_notifications_newest_first(client, person, colleague):
    for number in (1, 2, 3):
        note(person, number)
    note(colleague, 4)
    client.force_login(person)

    page = client.get(LIST_URL).context["page"]

    assert [n.title for n in page.object_list] == [
        "Étape 3 validée", "Étape 2 validée", "Étape 1 validée"
    ]


def test_the_list_is_paginated_by_twenty(client, person):
    for number in range(1, 46):
        note(person, number)
    client.force_login(person)

    first = client.get(LIST_URL).context["page"]
    third = client.get(LIST_URL, {"page": 3}).context["page"]

    assert len(first.object_list) == 20
    assert first.object_list[0].title == "Étape 45 validée"
    assert [n.title for n in third.object_list] == [f"Étape {n} validée"
                                                     for n in range(5, 0, -1)]
    assert client.get(LIST_URL, {"page": "abc"}).context["page"].number == 1
    assert client.get(LIST_URL, {"page": 99}).context["page"].number == 3


def test_unread_ones_are_marked_new_and_can_all_be_marked_read(client, person):
    note(person, 1, read=True)
    note(person, 2)
    client.force_login(person)

    html = client.get(LIST_URL).content.decode()

    assert html.count("nouveau") == 1
    assert "Tout marquer comme lu" in html
    client.post(reverse("notifications:mark_all_read"))
    assert "Tout marquer comme lu" not in client.get(LIST_URL).content.decode()


def test_an_empty_list_says_so(client, person):
    client.force_login(person)

    assert "Aucune notification pour le moment." in client.get(LIST_URL).content.decode()


# --- Opening one ------------------------------------------------------------------------


def test_opening_marks_read_and_follows_a_link_on_this_site(client, person):
    notification = note(person, link="/dossiers/42/")
    client.force_login(person)

    response = client.get(open_url(notification))

    assert (response.status_code, response["Location"]) == (302, "/dossiers/42/")
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize("link", [
    "https://faux-guichet.example.com/connexion",
    "//faux-guichet.example.com/connexion",
    "javascript:alert(document.cookie)",
    "http:/\\faux-guichet.example.com",
])
def test_a_link_off_this_site_is_not_followed(client, person, link):
    notification = note(person, link=link)
    client.force_login(person)

    response = client.get(open_url(notification))

    assert response["Location"] == LIST_URL
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_without_a_link_opening_goes_back_to_the_list(client, person):
    client.force_login(person)

    assert client.get(open_url(note(person)))["Location"] == LIST_URL


def test_someone_elses_notification_is_a_404_and_stays_unread(client, person, colleague):
    theirs = note(colleague, link="/dossiers/7/")
    client.force_login(person)

    assert client.get(open_url(theirs)).status_code == 404

    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_needs_a_signed_in_person(client, person):
    notification = note(person)

    assert client.get(open_url(notification)).status_code == 302

    notification.refresh_from_db()
    assert notification.read_at is None


# --- Marking all read -------------------------------------------------------------------


def test_marking_all_read_is_a_post_of_ones_own(client, person, colleague):
    mine, theirs = note(person, 1), note(colleague, 2)
    client.force_login(person)

    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    mine.refresh_from_db()
    assert mine.read_at is None

    response = client.post(reverse("notifications:mark_all_read"))

    assert response["Location"] == LIST_URL
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None
    assert theirs.read_at is None


def test_marking_all_read_needs_a_signed_in_person(client, person):
    notification = note(person)

    response = client.post(reverse("notifications:mark_all_read"))

    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is None


# --- The unread count -------------------------------------------------------------------


def test_the_header_counts_unread_notifications(client, person, colleague):
    note(person, 1)
    note(person, 2)
    note(person, 3, read=True)
    note(colleague, 4)
    client.force_login(person)

    html = client.get(LIST_URL).content.decode()

    assert 'aria-label="2 non lues"' in html
    assert unread_count(person) == 2
    assert unread_count(colleague) == 1


def test_nobody_signed_in_has_no_notifications(person):
    note(person)
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    assert list(notifications_for(AnonymousUser())) == []
    assert unread_count(AnonymousUser()) == 0
    assert unread_notifications(request) == {"unread_notifications": 0}
    assert unread_notifications(RequestFactory().get("/")) == {"unread_notifications": 0}
