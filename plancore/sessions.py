"""A signed-in session lasts SESSION_COOKIE_AGE seconds after the person's last request, without
being written on every request: it is renewed (saved, its cookie sent again) at most once every
SESSION_RENEW_SECONDS, so an idle session ends between AGE − RENEW and AGE seconds after the
last request, and a busy reader costs one session write a minute instead of one per page."""

import time

from django.conf import settings

RENEWED_AT = "_renewed_at"


class SessionRenewalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.session.is_empty():
            now = int(time.time())
            if now - request.session.get(RENEWED_AT, 0) >= settings.SESSION_RENEW_SECONDS:
                request.session[RENEWED_AT] = now  # modified: saved, and its cookie sent again
        return response
