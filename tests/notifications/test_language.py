"""A person's language: saved when they switch with the header's switcher, applied when they
sign in, and the same choice the preferences page and the e-mails use."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from notifications import services
from notifications.models import Preferences
from tests.factories import MilestoneFactory, UserFactory
from tests.notifications.conftest import told
from tests.notifications.test_reminders import TODAY, recent_update
from tests.roles import signed_in

SWITCH = "/i18n/setlang/"
PASSWORD = "correct-horse-battery"


def switch(client, language, next_page="/"):
    return client.post(SWITCH, {"language": language, "next": next_page})


def sign_in(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def test_a_signed_in_person_who_switches_language_has_it_saved(client, world):
    signed_in(client, world.liaison_mx)
    response = switch(client, "es")
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert Preferences.objects.get(user=world.liaison_mx).language == "es"


def test_switching_again_changes_only_the_language_of_the_saved_preferences(client, world):
    Preferences.objects.create(user=world.liaison_mx, language="es", approved="none")
    signed_in(client, world.liaison_mx)
    switch(client, "da")
    saved = Preferences.objects.get(user=world.liaison_mx)
    assert (saved.language, saved.approved) == ("da", "none")


def test_a_language_the_portal_does_not_offer_is_ignored_and_nothing_is_saved(client, world):
    signed_in(client, world.liaison_mx)
    response = switch(client, "fr")
    assert response.status_code == 302
    assert not Preferences.objects.filter(user=world.liaison_mx).exists()
    assert '<html lang="en">' in client.get(reverse("dashboard")).content.decode()


def test_a_visitor_who_is_not_signed_in_switches_without_anything_saved(client, db):
    response = switch(client, "es", next_page="/accounts/login/")
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert not Preferences.objects.exists()


def test_the_saved_language_is_applied_at_sign_in(client, db):
    user = UserFactory()
    Preferences.objects.create(user=user, language="es")
    response = sign_in(client, user)
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    page = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="es">' in page.content.decode()


def test_the_saved_language_wins_over_the_one_chosen_before_signing_in(client, db):
    user = UserFactory()
    Preferences.objects.create(user=user, language="da")
    switch(client, "es", next_page="/accounts/login/")
    sign_in(client, user)
    assert '<html lang="da">' in client.get(reverse("dashboard")).content.decode()


def test_a_person_who_never_chose_keeps_the_browsers_language_at_sign_in(client, db):
    user = UserFactory()
    response = sign_in(client, user)
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    page = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="es")
    assert '<html lang="es">' in page.content.decode()


def test_the_preferences_page_shows_the_saved_language_as_the_persons_language(client, world):
    Preferences.objects.create(user=world.liaison_mx, language="da")
    sign_in(client, world.liaison_mx)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Dit sprog" in page  # the page itself speaks the person's language
    assert '<option value="da" selected>' in page


def test_the_header_offers_english_spanish_and_danish(client, world):
    signed_in(client, world.official)
    page = client.get(reverse("dashboard")).content.decode()
    for code, name in (("en", "English"), ("es", "Español"), ("da", "Dansk")):
        assert f'<option value="{code}" lang="{code}"' in page and name in page


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("en", "Due in 1 day: “Joint sampling” of 6.6 Water quality (due 3 March 2026)."),
        (
            "es",
            "Vence en 1 día: «Joint sampling» de 6.6 Water quality (vence el 3 de marzo de 2026).",
        ),
        ("da", "Frist om 1 dag: “Joint sampling” i 6.6 Water quality (frist 3. marts 2026)."),
    ],
)
def test_the_e_mails_speak_the_persons_language_with_its_dates(world, language, line):
    Preferences.objects.create(user=world.liaison_dk, language=language)
    recent_update(world)
    MilestoneFactory(
        action=world.action,
        title="Joint sampling",
        start_date=TODAY - timedelta(100),
        due_date=TODAY + timedelta(1),
    )
    services.send_reminders(today=TODAY)
    message = told(mail.outbox)["liaison-dkma"][0]
    assert message.extra_headers["Content-Language"] == language
    assert line in message.body


def test_saving_the_preferences_shows_the_portal_in_the_chosen_language_at_once(client, world):
    signed_in(client, world.liaison_mx)
    choices = dict.fromkeys(("milestones", "reviews", "stale"), "digest")
    choices |= dict.fromkeys(("submitted", "returned", "approved"), "immediate")
    choices |= {"report_ready": "immediate", "report_released": "none", "language": "es"}
    choices |= {"amendment": "immediate", "joint_assessment": "digest"}
    response = client.post(reverse("notifications:preferences"), choices)
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert '<html lang="es">' in client.get(reverse("dashboard")).content.decode()
