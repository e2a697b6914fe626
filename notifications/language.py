"""A person's language, one choice for the pages and the e-mails: saved when they switch with the
header's switcher, applied again when they sign in (the language cookie LocaleMiddleware reads)."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from notifications import services
from notifications.models import Preferences


def saved_language(user):
    """The language this person chose, or None if they never chose one."""
    return Preferences.objects.filter(user=user).values_list("language", flat=True).first()


def remember_language(response, language):
    """Set the cookie from which LocaleMiddleware takes the language of the next pages."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@receiver(user_logged_in, dispatch_uid="notifications.apply_saved_language")
def apply_saved_language(sender, request, user, **kwargs):
    """At sign-in, mark the person's saved language for the response to set (the middleware)."""
    if request is None:
        return
    language = saved_language(user)
    if language and check_for_language(language):
        request.saved_language = language


def saved_language_middleware(get_response):
    """Set the language cookie on the response to a sign-in, from the person's saved choice."""

    def middleware(request):
        response = get_response(request)
        language = getattr(request, "saved_language", None)
        if language:
            remember_language(response, language)
        return response

    return middleware


@login_not_required
@require_POST
def switch_language(request):
    """Django's set_language, and for a signed-in person the choice saved as their language."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.set_language(user=request.user, language=language)
    return response
