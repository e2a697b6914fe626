"""Request bodies are capped before anything reads them.

The middleware stands before the session, CSRF and sign-in middleware, which would otherwise
parse a body (CSRF reads a POST's token) before the visitor is even sent to sign in. A body whose
Content-Length is over the limit is refused with 413 at once, unread; a body that streams past
the limit anyway is cut off there. Views that take files (evidence, the administration site) are
marked with `accepts_uploads` and may receive UPLOAD_REQUEST_MAX_BYTES; every other view
REQUEST_BODY_MAX_BYTES.
"""

from functools import wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _


class RequestBodyTooLarge(RequestDataTooBig):
    """A body went on past the limit while it was read (Django answers 400)."""


def accepts_uploads(view):
    """Mark a view that receives files: its requests may be as large as an upload allows."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    wrapper.accepts_uploads = True
    return wrapper


def body_limit(path_info):
    """The most a request to this path may send."""
    try:
        match = resolve(path_info)
    except Resolver404:
        return settings.REQUEST_BODY_MAX_BYTES
    if getattr(match.func, "accepts_uploads", False) or "admin" in match.namespaces:
        return settings.UPLOAD_REQUEST_MAX_BYTES
    return settings.REQUEST_BODY_MAX_BYTES


class CappedStream:
    """A request body stream that refuses to be read past `limit` bytes."""

    def __init__(self, stream, limit):
        self.stream = stream
        self.limit = limit
        self.read_so_far = 0

    def _count(self, data):
        self.read_so_far += len(data)
        if self.read_so_far > self.limit:
            raise RequestBodyTooLarge(f"Request body exceeded {self.limit} bytes.")
        return data

    def read(self, size=-1, /):
        return self._count(self.stream.read(size))

    def readline(self, size=-1, /):
        return self._count(self.stream.readline(size))

    def __iter__(self):
        return iter(self.readline, b"")

    def close(self):
        self.stream.close()

    def __getattr__(self, name):
        """Anything else a reader asks of the stream, the wrapped stream answers."""
        return getattr(self.stream, name)


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if not declared.isdigit():
            return HttpResponseBadRequest(
                _("The request's Content-Length is not a number."), content_type="text/plain"
            )
        length = int(declared)
        limit = settings.REQUEST_BODY_MAX_BYTES
        if length > limit:
            limit = body_limit(request.path_info)
            if length > limit:
                return too_large(request, length, limit)
        request._stream = CappedStream(request._stream, limit)
        return self.get_response(request)


def too_large(request, length, limit):
    """413, with a page that says what the limit is; nothing was read, nothing saved."""
    context = {"size": filesizeformat(length), "limit": filesizeformat(limit)}
    response = HttpResponse(render_to_string("413.html", context, request=request), status=413)
    response["Connection"] = "close"
    return response
