"""The preferences page, and the unsubscribe link that needs no sign-in."""

from django.core import signing
from django.urls import reverse

from notifications import tokens
from notifications.models import Preferences
from tests.roles import signed_in

PAGE = "/accounts/notifications/"


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, world):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_preferences_page_shows_each_kind_with_its_default(
    client, world, django_assert_max_num_queries
):
    signed_in(client, world.liaison_mx)
    with django_assert_max_num_queries(12):
        response = client.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "An update waits for my side&#x27;s review" in page
    assert 'value="immediate" required id="id_submitted_0" checked' in page


def test_the_header_links_to_the_preferences(client, world):
    signed_in(client, world.official)
    assert f'href="{PAGE}"' in client.get(reverse("dashboard")).content.decode()


def test_a_person_saves_their_language_and_modes(client, world):
    signed_in(client, world.liaison_mx)
    choices = {
        "language": "es",
        "submitted": "digest",
        "returned": "immediate",
        "approved": "none",
        "report_ready": "immediate",
        "report_released": "immediate",
        "amendment": "digest",
        "joint_assessment": "none",
        "milestones": "digest",
        "reviews": "none",
        "stale": "digest",
    }
    response = client.post(PAGE, choices)
    assert response.status_code == 302
    saved = Preferences.objects.get(user=world.liaison_mx)
    assert (saved.language, saved.submitted, saved.approved, saved.reviews) == (
        "es",
        "digest",
        "none",
        "none",
    )
    assert (saved.amendment, saved.joint_assessment) == ("digest", "none")


def test_reminders_cannot_be_asked_for_at_once_and_nothing_is_saved(client, world):
    signed_in(client, world.liaison_mx)
    response = client.post(PAGE, {"language": "en", "milestones": "immediate"})
    assert response.status_code == 400
    assert not Preferences.objects.filter(user=world.liaison_mx).exists()


def unsubscribe_url(user, kind):
    return reverse("notifications:unsubscribe", args=[tokens.unsubscribe_token(user.pk, kind)])


def test_opening_the_unsubscribe_link_asks_to_confirm_and_changes_nothing(client, world):
    response = client.get(unsubscribe_url(world.liaison_dk, "submitted"))
    assert response.status_code == 200
    assert "Stop sending these e-mails" in response.content.decode()
    assert not Preferences.objects.filter(user=world.liaison_dk).exists()


def test_the_one_click_post_stops_only_that_kind_without_signing_in(world):
    from django.test import Client

    mail_program = Client(enforce_csrf_checks=True)
    response = mail_program.post(
        unsubscribe_url(world.liaison_dk, "submitted"), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    saved = Preferences.objects.get(user=world.liaison_dk)
    assert saved.submitted == "none"
    assert (saved.returned, saved.milestones, saved.language) == ("immediate", "digest", "en")


def test_a_tampered_unsubscribe_link_is_refused_with_a_clear_message(client, world):
    token = tokens.unsubscribe_token(world.liaison_dk.pk, "submitted")
    tampered = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
    response = client.post(reverse("notifications:unsubscribe", args=[tampered]))
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert not Preferences.objects.exists()


def test_an_expired_unsubscribe_link_says_so(client, world, settings):
    settings.NOTIFY_UNSUBSCRIBE_DAYS = -1
    response = client.post(unsubscribe_url(world.liaison_dk, "submitted"))
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert not Preferences.objects.exists()


def test_a_link_signed_for_something_else_is_refused(client, world):
    other = signing.dumps({"u": world.liaison_dk.pk, "k": "everything"}, salt=tokens.SALT)
    response = client.post(reverse("notifications:unsubscribe", args=[other]))
    assert response.status_code == 400
    assert not Preferences.objects.exists()
