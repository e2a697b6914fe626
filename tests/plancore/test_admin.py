from urllib.parse import quote

import pytest
from django.contrib import admin
from django.urls import reverse

from actions.models import Action
from partners.models import Institution, Membership
from tests.factories import UserFactory
from tests.roles import give_authenticator, pass_second_step, signed_in

REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)


@pytest.fixture
def superuser(db):
    return UserFactory(username="secretariat", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    """The secretariat signed in with password and code, as the admin site requires."""
    return signed_in(client, superuser)


def test_every_model_of_the_portal_is_in_the_admin():
    portal_models = {
        (app, name)
        for app, name in REGISTERED
        if app in {"plancore", "partners", "actions", "reporting"}
    }
    assert portal_models >= {
        ("plancore", "plan"),
        ("plancore", "chapter"),
        ("plancore", "sustainabledevelopmentgoal"),
        ("partners", "country"),
        ("partners", "institution"),
        ("partners", "agreement"),
        ("partners", "membership"),
        ("actions", "action"),
        ("actions", "responsibility"),
        ("actions", "milestone"),
        ("actions", "progressupdate"),
        ("actions", "review"),
    }


@pytest.mark.parametrize(("app", "model"), REGISTERED)
def test_admin_lists_and_add_forms_open_for_the_plan_administrator(plan, admin_client, app, model):
    changelist = admin_client.get(reverse(f"admin:{app}_{model}_changelist"))
    assert changelist.status_code == 200
    add = admin_client.get(reverse(f"admin:{app}_{model}_add"))
    # Sign-in logs, the record of e-mails sent, amendments and assessments (proposed, given and
    # decided on the portal's pages, whose services apply them) are read-only.
    read_only = app in ("axes", "assessments") or (app, model) in {
        ("notifications", "delivery"),
        ("amendments", "amendment"),
    }
    assert add.status_code == (403 if read_only else 200)


def test_admin_search_and_filters_find_an_action(plan, admin_client):
    response = admin_client.get(
        reverse("admin:actions_action_changelist"), {"q": "COFEPRIS", "status": "not_started"}
    )
    assert response.status_code == 200
    assert [a.number for a in response.context["cl"].result_list] == ["5.2"]


def test_action_list_in_admin_has_a_bounded_number_of_queries(
    plan, admin_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        response = admin_client.get(reverse("admin:actions_action_changelist"))
    assert response.context["cl"].result_count == 35


def test_action_history_opens_in_the_admin(plan, admin_client):
    action = Action.objects.get(number="6.6")
    response = admin_client.get(reverse("admin:actions_action_history", args=[action.pk]))
    assert response.status_code == 200
    assert b"Loaded from the signed plan" in response.content


@pytest.mark.parametrize(
    ("staff", "role"),
    [
        (False, None),
        (True, None),
        (True, Membership.Role.EMBASSY_STAFF),
        (True, Membership.Role.OFFICIAL),
        (False, Membership.Role.ADMINISTRATOR),
    ],
)
def test_only_plan_administrators_with_staff_status_reach_the_admin(plan, client, staff, role):
    user = UserFactory(username="someone", is_staff=staff)
    if role:
        Membership.objects.create(
            user=user, institution=Institution.objects.get(code="mfa-dk"), role=role
        )
    client.force_login(user)
    pass_second_step(client, user)  # refused for the role alone, not for a missing code
    response = client.get(reverse("admin:actions_action_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_a_plan_administrator_with_staff_status_reaches_the_admin(plan, client):
    user = UserFactory(username="secretariat-mx", is_staff=True)
    Membership.objects.create(
        user=user, institution=Institution.objects.get(code="sre"), role="administrator"
    )
    signed_in(client, user)
    assert client.get(reverse("admin:actions_action_changelist")).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(plan, client):
    response = client.get(reverse("admin:actions_action_changelist"))
    assert response.status_code == 302
    assert "login" in response.url


def test_the_admin_sign_in_page_is_the_portals(plan, client):
    url = reverse("admin:actions_action_changelist")
    response = client.get(reverse("admin:login"), {"next": url}, follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('login')}?next={quote(url)}"
    assert response.status_code == 200
    assert b'name="username"' in response.content


def test_an_administrator_who_has_not_typed_a_code_is_refused_the_admin(plan, client, superuser):
    give_authenticator(superuser)
    client.force_login(superuser)
    url = reverse("admin:actions_action_changelist")
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:second_step')}?next={quote(url, safe='')}"


def test_the_admin_asks_a_code_also_where_the_role_does_not_require_one(
    plan, client, superuser, settings
):
    """Nobody is required a second factor for the portal here; the admin site still needs one."""
    settings.MFA_REQUIRED_ROLES = []
    client.force_login(superuser)
    url = reverse("admin:actions_action_changelist")
    assert client.get(reverse("dashboard")).status_code == 200
    response = client.get(url, follow=True)
    assert [hop for hop, _status in response.redirect_chain] == [
        f"{reverse('admin:login')}?next={quote(url)}",
        f"{reverse('accounts:set_up')}?next={quote(url, safe='')}",
    ]
    give_authenticator(superuser)
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == (
        f"{reverse('accounts:second_step')}?next={quote(url, safe='')}"
    )
    pass_second_step(client, superuser)
    assert client.get(url).status_code == 200


def test_the_admin_never_shows_a_persons_authenticator_key(plan, admin_client):
    device = give_authenticator(UserFactory(username="someone-with-an-app"))
    response = admin_client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert response.status_code == 200
    assert device.key not in response.content.decode()
    config = reverse("admin:otp_totp_totpdevice_config", args=[device.pk])
    assert admin_client.get(config).status_code == 403


def test_the_admin_sign_in_page_refuses_someone_without_the_right(plan, client):
    user = UserFactory(username="embassy-person", is_staff=True)
    Membership.objects.create(
        user=user, institution=Institution.objects.get(code="embassy-dk-mx"), role="embassy_staff"
    )
    client.force_login(user)
    pass_second_step(client, user)
    assert client.get(reverse("admin:login")).status_code == 403


def _change_form_data(action, **changes):
    data = {
        "chapter": action.chapter_id,
        "position": action.position,
        "number": action.number,
        "short_title_en": action.short_title_en,
        "short_title_es": action.short_title_es,
        "text_en": action.text_en,
        "text_es": action.text_es,
        "status": action.status,
        "progress": action.progress,
        "start_date": action.start_date.isoformat(),
        "target_date": action.target_date.isoformat(),
        "sdgs": list(action.sdgs.values_list("pk", flat=True)),
        "version": action.version,
    }
    for prefix, related in (("responsibilities", action.responsibilities), ("milestones", None)):
        rows = list(related.all()) if related is not None else []
        data |= {
            f"{prefix}-TOTAL_FORMS": len(rows),
            f"{prefix}-INITIAL_FORMS": len(rows),
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
        for i, row in enumerate(rows):
            data |= {
                f"{prefix}-{i}-id": row.pk,
                f"{prefix}-{i}-action": action.pk,
                f"{prefix}-{i}-institution": row.institution_id,
                f"{prefix}-{i}-side": row.side,
                f"{prefix}-{i}-role": row.role,
            }
    return data | changes


def test_a_change_in_the_admin_is_recorded_with_the_acting_user(plan, admin_client, superuser):
    action = Action.objects.get(number="4.5")
    url = reverse("admin:actions_action_change", args=[action.pk])

    response = admin_client.post(url, _change_form_data(action, status="on_track", progress=20))

    assert response.status_code == 302, response.context["errors"]
    action.refresh_from_db()
    assert (action.status, action.progress, action.version) == ("on_track", 20, 2)
    assert action.history.latest("history_date").history_user == superuser


def test_the_admin_edits_an_actions_title_in_english_and_in_spanish(plan, admin_client):
    action = Action.objects.get(number="4.5")
    url = reverse("admin:actions_action_change", args=[action.pk])

    response = admin_client.post(
        url, _change_form_data(action, short_title_es="Más turismo entre ambos países")
    )

    assert response.status_code == 302, response.context["errors"]
    action.refresh_from_db()
    assert action.short_title_en == "Increasing tourism flows"
    assert action.short_title_es == "Más turismo entre ambos países"
    assert action.history.latest("history_date").short_title_es == "Más turismo entre ambos países"


def test_a_stale_admin_form_is_refused_and_changes_nothing(plan, admin_client):
    action = Action.objects.get(number="4.5")
    url = reverse("admin:actions_action_change", args=[action.pk])
    stale = _change_form_data(action, status="delayed", progress=10)
    admin_client.post(url, _change_form_data(action, status="on_track", progress=20))

    response = admin_client.post(url, stale)

    assert response.status_code == 200
    assert "changed this action after you opened it" in response.content.decode()
    action.refresh_from_db()
    assert (action.status, action.progress, action.version) == ("on_track", 20, 2)


def test_a_responsibility_added_in_the_admin_is_offered_for_an_institution_report_at_once(
    plan, admin_client, superuser
):
    from actions.models import Responsibility
    from reporting.forms import ReportRequestForm

    def offered():
        form = ReportRequestForm({}, plan=plan, user=superuser)
        accepted = set(form.fields["institution"].queryset.values_list("code", flat=True))
        drawn = {str(label) for _value, label in form.fields["institution"].choices}
        assert drawn - {str(form.fields["institution"].empty_label)} == {
            str(i) for i in Institution.objects.filter(code__in=accepted)
        }
        return accepted

    newcomer = Institution.objects.exclude(responsibilities__isnull=False).first()
    assert newcomer is not None and newcomer.code not in offered()
    action = Action.objects.in_plan(plan).get(number="6.6")
    response = admin_client.post(
        reverse("admin:actions_responsibility_add"),
        {"action": action.pk, "institution": newcomer.pk, "side": newcomer.side, "role": "partner"},
    )
    assert response.status_code == 302, response.content[:2000]
    assert Responsibility.objects.filter(action=action, institution=newcomer).exists()
    assert newcomer.code in offered()


def test_an_institution_added_in_the_admin_is_a_choice_of_the_action_list_at_once(
    plan, admin_client
):
    def offered():
        form = admin_client.get(reverse("actions:list")).context["filter"].form
        return {label for _value, label in form.fields["institution"].choices}

    assert "Copenhagen" in offered()  # the list is read, and kept
    response = admin_client.post(
        reverse("admin:partners_institution_add"),
        {
            "code": "dk-new-agency",
            "name_en": "New Danish Agency",
            "kind": "agency",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert "New Danish Agency" in offered()
