"""A person's notification preferences, and the one-click unsubscribe link of every e-mail."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from notifications import services
from notifications.forms import PreferencesForm
from notifications.language import remember_language
from notifications.models import Kind, Preferences
from notifications.tokens import read_unsubscribe_token


@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request):
    saved = Preferences.objects.filter(user=request.user).first() or Preferences(user=request.user)
    form = PreferencesForm(request.POST or None, preferences=saved)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_preferences(
                user=request.user, language=form.cleaned_data["language"], **form.modes()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your notification preferences are saved."))
            response = redirect("notifications:preferences")
            remember_language(response, form.cleaned_data["language"])
            return response
    status = 400 if form.errors else 200
    return render(request, "notifications/preferences.html", {"form": form}, status=status)


# Mail programs send the one-click POST of RFC 8058 without a CSRF token; the signed token in
# the address is what proves the request came from the e-mail.
@csrf_exempt
@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks to confirm (mail scanners open links); POST stops that one kind of e-mail."""
    try:
        user_id, kind = read_unsubscribe_token(token)
        user = get_user_model().objects.get(pk=user_id, is_active=True)
        label = Kind(kind).label
    except signing.SignatureExpired:
        return _refused(request, _("This unsubscribe link has expired."))
    except (signing.BadSignature, ValueError, get_user_model().DoesNotExist):
        return _refused(request, _("This unsubscribe link is not valid."))
    done = False
    if request.method == "POST":
        services.unsubscribe(user=user, kind=kind)
        done = True
    return render(
        request,
        "notifications/unsubscribe.html",
        {"label": label, "done": done, "email": user.email},
    )


def _refused(request, reason):
    return render(request, "notifications/unsubscribe.html", {"reason": reason}, status=400)
