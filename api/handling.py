"""How the API answers when something is wrong, and how often a token may ask."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import exception_handler


class Conflict(exceptions.APIException):
    """The record changed since the caller read it; the answer carries the current version."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, current):
        super().__init__(
            _(
                "Someone else changed this after you read it, and nothing was saved. It is now "
                "at version %(version)s: read it again and send that version."
            )
            % {"version": current.version}
        )
        self.current_version = current.version


def messages_of(error):
    """A Django ValidationError as {field: [messages]} (non-field messages under "detail")."""
    if hasattr(error, "error_dict"):
        return {
            ("detail" if field == "__all__" else field): [str(m) for m in ValidationError(e)]
            for field, e in error.error_dict.items()
        }
    return {"detail": [str(m) for m in error.messages]}


def form_errors(form):
    """A Django form's errors as a 400 JSON body, with one sentence a person can read first."""
    errors = {
        ("detail" if field == "__all__" else field): [str(m) for m in messages]
        for field, messages in form.errors.items()
    }
    return invalid(errors)


def invalid(errors):
    sentences = [f"{field}: {' '.join(msgs)}" for field, msgs in errors.items() if msgs]
    return Response(
        {"detail": _("The request is not valid.") + " " + " ".join(sentences), "errors": errors},
        status=status.HTTP_400_BAD_REQUEST,
    )


def handle_exception(exc, context):
    """Every error is JSON with a `detail` a person can read; Django's own exceptions too."""
    if isinstance(exc, ValidationError):
        return invalid(messages_of(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("There is nothing at this address, or not for you."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, Conflict):
        response.data = {"detail": response.data["detail"], "current_version": exc.current_version}
    elif isinstance(exc, exceptions.ValidationError) and not isinstance(response.data, dict):
        response.data = {"detail": " ".join(str(m) for m in response.data)}
    elif isinstance(exc, exceptions.ValidationError) and "detail" not in response.data:
        errors = {
            k: [str(m) for m in (v if isinstance(v, list) else [v])]
            for k, v in response.data.items()
        }
        return invalid(errors)
    return response


class TokenRateThrottle(SimpleRateThrottle):
    """Each token (or signed-in browser session) has its own allowance per hour."""

    scope = "token"

    def get_rate(self):
        return settings.API_RATE

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        token = request.auth
        ident = f"token-{token.prefix}" if hasattr(token, "prefix") else f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ById(CursorPagination):
    """Pages of records in the order they were created: stable while others write."""

    ordering = "id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
