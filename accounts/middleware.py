"""Until the second sign-in step is settled, a signed-in person reaches only that step."""

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from plancore import permissions

# Reachable whatever the second step's state: the step itself, signing out, the language.
OPEN_VIEWS = {"accounts:second_step", "logout", "set_language"}
SET_UP = "accounts:set_up"


class SecondFactorMiddleware:
    """A person who has an authenticator app but has not typed a code in this session is sent to
    the second step; one whose role requires a second factor and has none, to set one up.
    Comes after django-otp's OTPMiddleware (which tells whether the session passed the step)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name in OPEN_VIEWS or not request.user.is_authenticated:
            return None
        if permissions.owes_second_step(request.user):
            return _sent_to("accounts:second_step", request)
        if match.view_name != SET_UP and permissions.must_set_up_second_factor(request.user):
            return _sent_to(SET_UP, request)
        return None


def _sent_to(name, request):
    if request.method != "GET":
        return redirect(name)
    return redirect(f"{reverse(name)}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}")
