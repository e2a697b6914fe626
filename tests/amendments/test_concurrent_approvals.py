"""Two plan administrators approving at the same moment put an amendment in force once."""

import threading
from datetime import date

import pytest
from django.db import connection

from actions.models import Action
from amendments import services
from amendments.models import Amendment, AmendmentDecision
from partners.models import Membership
from tests.factories import (
    ActionFactory,
    CountryFactory,
    InstitutionFactory,
    MembershipFactory,
    UserFactory,
)

Role = Membership.Role


def member(role, country_code):
    institution = InstitutionFactory(country=CountryFactory(code=country_code))
    return MembershipFactory(user=UserFactory(), institution=institution, role=role).user


def approve_at_once(amendment, users):
    start = threading.Barrier(len(users))
    outcomes = []

    def approve(user):
        try:
            start.wait(timeout=10)
            services.approve_amendment(amendment=amendment, user=user)
            outcomes.append("approved")
        except Exception as exc:  # reported below, in the test's own thread
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_both_sides_approving_at_once_apply_the_amendment_once():
    action = ActionFactory(target_date=date(2027, 12, 31))
    amendment = services.propose_amendment(
        proposer=member(Role.EMBASSY_STAFF, "MX"),
        kind="target_date",
        action=action,
        reason="Postponed.",
        target_date=date(2028, 6, 30),
    )

    outcomes = approve_at_once(
        amendment, [member(Role.ADMINISTRATOR, "DK"), member(Role.ADMINISTRATOR, "MX")]
    )

    assert outcomes == ["approved", "approved"]
    assert Amendment.objects.get().state == "in_force"
    assert Action.history.filter(id=action.pk, history_change_reason="Amendment 1").count() == 1
    assert Action.objects.get().version == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_administrators_of_the_last_side_approving_at_once_apply_it_once():
    action = ActionFactory(target_date=date(2027, 12, 31))
    amendment = services.propose_amendment(
        proposer=member(Role.EMBASSY_STAFF, "MX"),
        kind="target_date",
        action=action,
        reason="Postponed.",
        target_date=date(2028, 6, 30),
    )
    services.approve_amendment(amendment=amendment, user=member(Role.ADMINISTRATOR, "DK"))

    outcomes = approve_at_once(
        amendment, [member(Role.ADMINISTRATOR, "MX"), member(Role.ADMINISTRATOR, "MX")]
    )

    assert sorted(map(str, outcomes)) == [
        "['This amendment has already been decided.']",
        "approved",
    ]
    assert AmendmentDecision.objects.filter(side="MX").count() == 1
    assert Action.history.filter(id=action.pk, history_change_reason="Amendment 1").count() == 1
