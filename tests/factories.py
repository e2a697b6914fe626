"""factory_boy factories for the portal's models; each builds a valid object by default."""

from datetime import date

import factory
from django.contrib.auth import get_user_model

from actions.models import Action, Milestone, ProgressUpdate, Responsibility
from partners.models import Country, Institution, Membership
from plancore.models import Chapter, Plan


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ["code"]

    code = "DK"
    name = factory.LazyAttribute(lambda c: {"DK": "Denmark", "MX": "Mexico"}.get(c.code, c.code))


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    code = factory.Sequence(lambda n: f"institution-{n}")
    name = factory.Sequence(lambda n: f"Institution {n}")
    country = factory.SubFactory(CountryFactory)
    kind = Institution.Kind.MINISTRY


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    institution = factory.SubFactory(InstitutionFactory)
    role = Membership.Role.LIAISON


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    slug = factory.Sequence(lambda n: f"plan-{n}")
    title = factory.Sequence(lambda n: f"Plan {n}")
    signed_on = date(2023, 8, 9)
    period_start = date(2023, 8, 9)
    period_end = date(2027, 12, 31)


class ChapterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chapter

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 3)
    title = factory.Sequence(lambda n: f"Chapter {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    chapter = factory.SubFactory(ChapterFactory)
    position = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda a: f"{a.chapter.number}.{a.position}")
    short_title = factory.Sequence(lambda n: f"Action {n}")
    text = "The governments of Denmark and Mexico will cooperate."
    start_date = date(2023, 8, 9)
    target_date = date(2027, 12, 31)


class ResponsibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Responsibility

    action = factory.SubFactory(ActionFactory)
    institution = factory.SubFactory(InstitutionFactory)
    side = factory.LazyAttribute(lambda r: r.institution.side)
    role = Responsibility.Role.LEAD


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    action = factory.SubFactory(ActionFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    start_date = date(2024, 1, 1)
    due_date = date(2024, 6, 30)


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    action = factory.SubFactory(ActionFactory)
    author = factory.SubFactory(UserFactory)
    status = "on_track"
    progress = 40
    narrative = "Two workshops were held with both agencies."


class AssessmentFactory(factory.django.DjangoModelFactory):
    """One side's assessment; give it `side` and an `assessed_by` of that side."""

    class Meta:
        model = "assessments.Assessment"

    action = factory.SubFactory(ActionFactory)
    side = "DK"
    year = 2025
    quarter = 2
    completion = "limited"
    timeliness = "on_time"
    assessed_by = factory.SubFactory(UserFactory)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Meeting"

    plan = factory.SubFactory(PlanFactory)
    kind = "consultations"
    date = date(2025, 3, 12)
    place = "Secretaría de Relaciones Exteriores, Mexico City"
