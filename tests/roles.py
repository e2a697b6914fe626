"""Users of the portal's roles, made the way the portal knows them: through a Membership."""

import time
from itertools import count

from django.contrib.auth import get_user_model
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services as accounts
from actions.models import Action, Milestone, ProgressUpdate, Review
from assessments.models import Assessment, JointAssessment
from partners.models import Institution, Membership
from plancore.permissions import must_use_second_factor

Role = Membership.Role
_serial = count(1)

# The demo's roles (plancore/seeding/demo.py, DEMO_USERS) and the institution each sits at.
DEMO_ROLES = {
    "administrator": (Role.ADMINISTRATOR, "mfa-dk"),
    "embassy_dk": (Role.EMBASSY_STAFF, "embassy-dk-mx"),
    "embassy_mx": (Role.EMBASSY_STAFF, "embassy-mx-dk"),
    "liaison_semarnat": (Role.LIAISON, "semarnat"),
    "liaison_cofepris": (Role.LIAISON, "cofepris"),
    "liaison_dkma": (Role.LIAISON, "dkma"),
    "official": (Role.OFFICIAL, "mfa-dk"),
}


def make_user(username=None, *, first_name="Test", last_name=None, **fields):
    """A user with no password to hash (tests sign in with force_login)."""
    number = next(_serial)
    user = get_user_model()(
        username=username or f"person-{number}",
        first_name=first_name,
        last_name=last_name if last_name is not None else f"Person {number}",
        **fields,
    )
    user.set_unusable_password()
    user.save()
    return user


def make_member(role, institution_code, *, user=None, **user_fields):
    """A user with `role` at the institution of that code (adds a membership to `user` if given)."""
    user = user or make_user(**user_fields)
    Membership.objects.create(
        user=user, institution=Institution.objects.get(code=institution_code), role=role
    )
    return user


def make_demo_user(name, **user_fields):
    """One of DEMO_ROLES' users, e.g. make_demo_user("liaison_cofepris")."""
    role, code = DEMO_ROLES[name]
    return make_member(role, code, username=user_fields.pop("username", None), **user_fields)


def action_in(plan, number):
    """The action of that number, with the rows the permission predicates read."""
    return Action.objects.for_list().get(chapter__plan=plan, number=number)


def signed_in(client, user):
    """Signed in as `user`, and past the second step too where their role requires one."""
    client.force_login(user)
    if must_use_second_factor(user):
        pass_second_step(client, user)
    return client


def give_authenticator(user, key=None):
    """The user's authenticator app (a confirmed TOTP device), set up now if they had none."""
    accounts.give_known_authenticator(user=user, key=key or accounts.new_authenticator_key())
    return TOTPDevice.objects.get(user=user, confirmed=True)


def app_code(device, *, steps_ahead=0):
    """The code the authenticator app holding the device's key shows now (or steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def session_passed_second_step(client):
    return DEVICE_ID_SESSION_KEY in client.session


def pass_second_step(client, user):
    """The client's session passes the second sign-in step, as a right code would make it."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = give_authenticator(user).persistent_id
    session.save()
    return client


def database_state():
    """What a refused request must leave untouched: rows, versions and history of everything."""
    return {
        "actions": sorted(Action.objects.values_list("pk", "status", "progress", "version")),
        "action_history": Action.history.count(),
        "milestones": sorted(
            Milestone.objects.values_list(
                "pk", "title", "start_date", "due_date", "done_on", "responsible_id"
            )
        ),
        "milestone_history": Milestone.history.count(),
        "updates": sorted(ProgressUpdate.objects.values_list("pk", "review_state")),
        "update_history": ProgressUpdate.history.count(),
        "reviews": sorted(Review.objects.values_list("pk", "side", "decision")),
        "review_history": Review.history.count(),
        "assessments": sorted(
            Assessment.objects.values_list("pk", "side", "completion", "timeliness")
        ),
        "assessment_history": Assessment.history.count(),
        "joint_assessments": sorted(
            JointAssessment.objects.values_list("pk", "completion", "agreed_mx_at", "version")
        ),
        "joint_assessment_history": JointAssessment.history.count(),
    }
