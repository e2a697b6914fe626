import pytest
from django.urls import reverse

from partners.models import Institution, Membership
from reporting import services
from reporting.models import Report
from tests.factories import UserFactory


def member(username, role, code):
    user = UserFactory(username=username)
    Membership.objects.create(user=user, institution=Institution.objects.get(code=code), role=role)
    return user


@pytest.fixture
def embassy_dk(plan):
    return member("embassy-dk", "embassy_staff", "embassy-dk-mx")


@pytest.fixture
def embassy_mx(plan):
    return member("embassy-mx", "embassy_staff", "embassy-mx-dk")


@pytest.fixture
def official(plan):
    return member("official", "official", "mfa-dk")


@pytest.fixture
def liaison(plan):
    return member("liaison-semarnat", "liaison", "semarnat")


@pytest.fixture
def ready_report(plan):
    report = services.request_report(plan=plan, kind="annual", year=2024, language="en")
    report.refresh_from_db()
    return report


def signed_in(client, user):
    client.force_login(user)
    return client


ANNUAL_2024 = {"kind": "annual", "year": "2024", "quarter": "", "language": "en"}


def test_embassy_staff_request_a_report_and_download_it(client, embassy_dk):
    signed_in(client, embassy_dk)
    response = client.post(reverse("reporting:request"), ANNUAL_2024)
    assert response.status_code == 302

    report = Report.objects.get()
    assert (report.state, report.requested_by) == ("ready", embassy_dk)
    page = client.get(reverse("reporting:list"))
    assert "Annual review 2024" in page.content.decode()
    download = client.get(reverse("reporting:download", args=[report.pk]))
    assert download["Content-Disposition"] == (
        'attachment; filename="jsap-2023-2027-annual-review-2024-en.pdf"'
    )
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"kind": "quarterly", "year": "2024", "quarter": "", "language": "en"},
            "Choose the quarter",
        ),
        ({"kind": "annual", "year": "2024", "quarter": "2", "language": "en"}, "whole year"),
        (
            {"kind": "chapter", "year": "2024", "quarter": "", "language": "en"},
            "Choose the chapter",
        ),
        ({"kind": "annual", "year": "abc", "quarter": "", "language": "en"}, "valid choice"),
        ({"kind": "annual", "year": "2024", "quarter": "", "language": "de"}, "valid choice"),
        ({"kind": "weekly", "year": "2024", "quarter": "", "language": "en"}, "valid choice"),
    ],
)
def test_a_bad_request_says_what_is_wrong_and_creates_nothing(client, embassy_dk, data, message):
    response = signed_in(client, embassy_dk).post(reverse("reporting:request"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Report.objects.exists()


def test_officials_cannot_request_reports(client, official):
    signed_in(client, official)
    assert client.get(reverse("reporting:list")).context["form"] is None
    assert client.post(reverse("reporting:request"), ANNUAL_2024).status_code == 403
    assert not Report.objects.exists()


def test_officials_see_only_reports_both_sides_released(
    client, official, ready_report, embassy_dk, embassy_mx
):
    signed_in(client, official)
    assert list(client.get(reverse("reporting:list")).context["reports"]) == []
    assert client.get(reverse("reporting:download", args=[ready_report.pk])).status_code == 404
    status = client.get(reverse("reporting:status"), {"id": ready_report.pk}).json()
    assert status == {"reports": []}

    services.release(ready_report, user=embassy_dk, side="DK")
    assert list(client.get(reverse("reporting:list")).context["reports"]) == []
    services.release(ready_report, user=embassy_mx, side="MX")

    assert list(client.get(reverse("reporting:list")).context["reports"]) == [ready_report]
    assert client.get(reverse("reporting:download", args=[ready_report.pk])).status_code == 200


def test_liaisons_request_only_their_institutions_report(client, liaison, plan):
    signed_in(client, liaison)
    form = client.get(reverse("reporting:list")).context["form"]
    assert [k for k, _ in form.fields["kind"].choices] == ["institution"]
    semarnat = Institution.objects.get(code="semarnat")
    offered = [value for value, _label in form.fields["institution"].choices if value]
    assert offered == [semarnat.pk]

    ok = client.post(
        reverse("reporting:request"),
        {"kind": "institution", "year": "2025", "institution": semarnat.pk, "language": "es"},
    )
    assert ok.status_code == 302
    assert Report.objects.get().institution == semarnat

    cofepris = Institution.objects.get(code="cofepris")
    refused = client.post(
        reverse("reporting:request"),
        {"kind": "institution", "year": "2025", "institution": cofepris.pk, "language": "es"},
    )
    assert refused.status_code == 400
    refused_annual = client.post(reverse("reporting:request"), ANNUAL_2024)
    assert refused_annual.status_code == 400
    assert Report.objects.count() == 1


def test_each_side_releases_for_its_own_side_only(client, embassy_dk, ready_report):
    signed_in(client, embassy_dk)
    assert (
        client.post(
            reverse("reporting:release", args=[ready_report.pk]), {"side": "MX"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("reporting:release", args=[ready_report.pk]), {"side": "DK"}
        ).status_code
        == 302
    )
    ready_report.refresh_from_db()
    assert ready_report.released_dk_by == embassy_dk and ready_report.released_mx_at is None
    assert (
        client.post(
            reverse("reporting:release", args=[ready_report.pk]), {"side": "DK"}
        ).status_code
        == 403
    )


def test_liaisons_and_officials_cannot_release(client, liaison, official, ready_report):
    for user in (liaison, official):
        signed_in(client, user)
        response = client.post(reverse("reporting:release", args=[ready_report.pk]), {"side": "DK"})
        assert response.status_code in (403, 404)
    ready_report.refresh_from_db()
    assert ready_report.released_dk_at is None


def test_a_failed_report_is_retried_by_embassy_staff_not_by_officials(
    client, embassy_dk, official, plan
):
    report = Report.objects.create(
        plan=plan,
        kind="annual",
        year=2024,
        language="en",
        as_of="2024-12-31",
        state="failed",
        error="The build did not finish.",
    )
    assert (
        signed_in(client, official).post(reverse("reporting:retry", args=[report.pk])).status_code
        == 404
    )
    assert (
        signed_in(client, embassy_dk).post(reverse("reporting:retry", args=[report.pk])).status_code
        == 302
    )
    report.refresh_from_db()
    assert report.state == "ready"


def test_the_status_of_pending_reports_is_served_for_the_page_script(client, embassy_dk, plan):
    report = Report.objects.create(
        plan=plan, kind="annual", year=2024, language="en", as_of="2024-12-31"
    )
    data = (
        signed_in(client, embassy_dk)
        .get(reverse("reporting:status"), {"id": [report.pk, "x"]})
        .json()
    )
    assert data["reports"] == [
        {
            "id": report.pk,
            "state": "queued",
            "label": "Queued",
            "pages": None,
            "size": "",
            "download": "",
            "download_docx": "",
            "error": "",
        }
    ]


def test_the_reports_page_has_a_bounded_number_of_queries(
    client, embassy_dk, plan, django_assert_max_num_queries
):
    for year in (2023, 2024):
        for language in ("en", "es"):
            Report.objects.create(
                plan=plan, kind="annual", year=year, language=language, as_of=f"{year}-12-31"
            )
    signed_in(client, embassy_dk)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("reporting:list")).status_code == 200


def test_retrying_while_an_identical_report_is_pending_says_so_and_changes_nothing(
    client, embassy_dk, plan
):
    failed = Report.objects.create(
        plan=plan,
        kind="annual",
        year=2024,
        language="en",
        as_of="2024-12-31",
        state="failed",
        error="The build did not finish.",
    )
    pending = Report.objects.create(
        plan=plan, kind="annual", year=2024, language="en", as_of="2024-12-31", state="building"
    )

    response = signed_in(client, embassy_dk).post(
        reverse("reporting:retry", args=[failed.pk]), follow=True
    )

    assert response.status_code == 200
    assert "already queued or being built" in response.content.decode()
    failed.refresh_from_db()
    pending.refresh_from_db()
    assert (failed.state, pending.state) == ("failed", "building")


def test_drafts_are_seen_by_staff_and_by_liaisons_of_the_reports_own_institution_only(
    client, embassy_dk, liaison, official, plan
):
    """The decision README's "Who sees drafts and evidence" states, pinned."""

    def draft(**fields):
        values = {"plan": plan, "year": 2024, "language": "en", "as_of": "2024-12-31"}
        return Report.objects.create(
            **(values | fields), state="ready", pages=1, size=1, sha256="0" * 64
        )

    annual = draft(kind="annual")
    chapter = draft(kind="chapter", chapter=plan.chapters.get(number=6))
    semarnat = draft(kind="institution", institution=Institution.objects.get(code="semarnat"))
    cofepris = draft(kind="institution", institution=Institution.objects.get(code="cofepris"))

    def seen_by(user):
        signed_in(client, user)
        listed = {r.pk for r in client.get(reverse("reporting:list")).context["reports"]}
        states = client.get(
            reverse("reporting:status"), {"id": [annual.pk, chapter.pk, semarnat.pk, cofepris.pk]}
        ).json()["reports"]
        assert listed == {row["id"] for row in states}
        return listed

    assert seen_by(embassy_dk) == {annual.pk, chapter.pk, semarnat.pk, cofepris.pk}
    assert seen_by(liaison) == {semarnat.pk}
    assert seen_by(official) == set()
    signed_in(client, liaison)
    for hidden in (annual, chapter, cofepris):
        assert client.get(reverse("reporting:download", args=[hidden.pk])).status_code == 404


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("who", ["embassy_dk", "liaison"])
def test_the_request_form_offers_what_it_accepts_labelled_as_its_models(
    request, plan, who, language
):
    from django import forms
    from django.utils import translation

    from reporting.forms import ReportRequestForm

    user = request.getfixturevalue(who)
    with translation.override(language):
        form = ReportRequestForm({}, plan=plan, user=user)
        for name in ("chapter", "institution"):
            field = form.fields[name]
            by_queryset = forms.ModelChoiceField(
                queryset=field.queryset, empty_label=field.empty_label
            )
            expected = [(str(value), str(label)) for value, label in by_queryset.choices]
            offered = [(str(value), str(label)) for value, label in field.choices]
            assert offered == expected
            assert len(offered) > 1
        if who == "liaison":
            assert [label for _v, label in offered[1:]] == [
                str(Institution.objects.get(code="semarnat"))
            ]
