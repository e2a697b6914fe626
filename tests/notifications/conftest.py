"""A small bilateral world for notification tests: one action with a lead on each side, the
liaisons who answer for it, each side's embassy staff and administrators, and an official."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from notifications.models import Start
from partners.models import Membership
from tests.factories import (
    ActionFactory,
    CountryFactory,
    InstitutionFactory,
    MembershipFactory,
    ResponsibilityFactory,
    UserFactory,
)

Role = Membership.Role


@pytest.fixture(autouse=True)
def notifying_since_long_ago(db):
    """Notifications started before anything the tests write (the first run would say now)."""
    Start.objects.create(started_at=timezone.now() - timedelta(days=3650))


@pytest.fixture(autouse=True)
def mail_links(settings):
    settings.PORTAL_URL = "https://portal.example.org"


def member(username, institution, role, **fields):
    user = UserFactory(username=username, **fields)
    MembershipFactory(user=user, institution=institution, role=role)
    return user


@pytest.fixture
def world(db):
    denmark, mexico = CountryFactory(code="DK"), CountryFactory(code="MX")
    dkma = InstitutionFactory(code="dkma", acronym="DKMA", country=denmark)
    semarnat = InstitutionFactory(code="semarnat", acronym="SEMARNAT", country=mexico)
    cofepris = InstitutionFactory(code="cofepris", acronym="COFEPRIS", country=mexico)
    embassy_dk = InstitutionFactory(code="embassy-dk", country=denmark)
    embassy_mx = InstitutionFactory(code="embassy-mx", country=mexico)
    action = ActionFactory(number="6.6", short_title="Water quality")
    ResponsibilityFactory(action=action, institution=dkma)
    ResponsibilityFactory(action=action, institution=semarnat)
    other_action = ActionFactory(short_title="Medicines")
    ResponsibilityFactory(action=other_action, institution=cofepris)
    return SimpleNamespace(
        action=action,
        other_action=other_action,
        dkma=dkma,
        semarnat=semarnat,
        cofepris=cofepris,
        liaison_dk=member("liaison-dkma", dkma, Role.LIAISON),
        liaison_mx=member("liaison-semarnat", semarnat, Role.LIAISON),
        liaison_cofepris=member("liaison-cofepris", cofepris, Role.LIAISON),
        staff_dk=member("staff-dk", embassy_dk, Role.EMBASSY_STAFF),
        staff_mx=member("staff-mx", embassy_mx, Role.EMBASSY_STAFF),
        admin_dk=member("admin-dk", embassy_dk, Role.ADMINISTRATOR),
        admin_mx=member("admin-mx", embassy_mx, Role.ADMINISTRATOR),
        official=member("official", embassy_dk, Role.OFFICIAL),
    )


def told(mailbox):
    """{username: [bodies]} of the e-mails sent, keyed by the recipient's user name."""
    received = {}
    for message in mailbox:
        for address in message.to:
            received.setdefault(address.split("@")[0], []).append(message)
    return received
