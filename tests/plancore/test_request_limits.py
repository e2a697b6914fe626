"""Request bodies are refused past their limit before anything reads them, anonymous or not."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from actions.models import ProgressUpdate
from plancore.request_limits import CappedStream, RequestBodyTooLarge
from tests.roles import action_in, database_state, make_demo_user, signed_in

MB = 1024 * 1024


class ExplodingStream(io.RawIOBase):
    """A body that must never be read."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def post_declaring(client, path, length):
    """A POST that declares `length` bytes; reading any of them fails the test."""
    return client.generic(
        "POST",
        path,
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": ExplodingStream()},
    )


def test_an_anonymous_huge_post_is_refused_unread(client, db):
    response = post_declaring(client, reverse("actions:list"), 400 * MB)
    assert response.status_code == 413
    page = response.content.decode()
    assert "400.0\xa0MB" in page and "256.0\xa0KB" in page


def test_a_huge_post_to_the_sign_in_page_is_refused_unread(client, db):
    assert post_declaring(client, reverse("login"), 50 * MB).status_code == 413


def test_an_upload_view_takes_up_to_the_upload_limit_and_no_more(client, plan, settings):
    action = action_in(plan, "6.6")
    url = reverse("actions:update", args=[action.pk])
    signed_in(client, make_demo_user("embassy_dk"))
    assert post_declaring(client, url, settings.UPLOAD_REQUEST_MAX_BYTES + 1).status_code == 413
    before = database_state()

    # Within the limit the request reaches the form, which says the file is too large.
    big = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 " + b"0" * (settings.EVIDENCE_MAX_BYTES + 1))
    response = client.post(
        url,
        {
            "status": "on_track",
            "progress": "50",
            "narrative": "Workshop held.",
            "evidence_file": big,
            "version": action.version,
        },
    )
    assert response.status_code == 400
    assert "the limit is" in response.content.decode()
    assert database_state() == before and not ProgressUpdate.objects.exists()


def test_ordinary_forms_refuse_a_body_past_the_small_limit(client, plan, settings):
    signed_in(client, make_demo_user("embassy_dk"))
    url = reverse("reporting:request")
    assert post_declaring(client, url, settings.REQUEST_BODY_MAX_BYTES + 1).status_code == 413


def test_a_malformed_content_length_is_refused(client, db):
    response = client.generic("POST", reverse("login"), b"", CONTENT_LENGTH="12abc")
    assert response.status_code == 400


def test_a_body_that_streams_past_the_limit_is_cut_off():
    stream = CappedStream(io.BytesIO(b"x" * 2048), limit=1024)
    assert len(stream.read(1000)) == 1000
    with pytest.raises(RequestBodyTooLarge):
        stream.read(1000)


def test_the_stream_is_capped_even_when_the_declared_length_is_small(db):
    from plancore.request_limits import RequestBodyLimitMiddleware

    seen = {}

    def view(request):
        seen["stream"] = request._stream
        from django.http import HttpResponse

        return HttpResponse()

    request = RequestFactory().post("/accounts/login/", {"username": "a"})
    RequestBodyLimitMiddleware(view)(request)
    assert isinstance(seen["stream"], CappedStream)


def test_a_form_posted_as_a_browser_posts_it_is_read_through_the_cap(client, plan):
    """Browsers send forms urlencoded: Django reads the whole body, then closes the stream."""
    from django.contrib.auth import get_user_model

    from partners.models import Institution, Membership

    user = get_user_model().objects.create_user(username="mette", password="a-long-pass-2027")
    Membership.objects.create(
        user=user, institution=Institution.objects.get(code="embassy-dk-mx"), role="embassy_staff"
    )
    response = client.post(
        reverse("login"),
        "username=mette&password=a-long-pass-2027",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302 and response.url == reverse("dashboard")
