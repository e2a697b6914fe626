"""The signed-in person's own sign-in security, and the second sign-in step.

Each view: permission → form → service → response. Who must use a second factor, and what a
session that has not passed the second step may reach, is decided in plancore/permissions.py
(asked here and by accounts.middleware).
"""

import django_otp
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import selectors, services
from accounts.forms import AppCodeForm, RecoveryCodeForm, RemoveSecondFactorForm, add_refusal
from accounts.qr import authenticator_secret, qr_code_svg
from plancore import permissions

PENDING_KEY = "accounts_pending_authenticator_key"
NEW_RECOVERY_CODES = "accounts_new_recovery_codes"


def _next_url(request, default="dashboard"):
    """Where to go once this step is done: the page the person was heading for, if it is ours."""
    wanted = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse(default)


def _with_next(name, next_url):
    return f"{reverse(name)}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"


def _passed(request, device):
    """Mark this session as confirmed with a second factor, under a new session key."""
    django_otp.login(request, device)
    request.session.cycle_key()


@never_cache
@require_http_methods(["GET"])
def security(request):
    return _render_security(request, RemoveSecondFactorForm(user=request.user))


def _render_security(request, remove_form, status=200):
    user = request.user
    return render(
        request,
        "accounts/security.html",
        {
            "authenticator": selectors.authenticator_of(user),
            "recovery_codes_left": selectors.recovery_codes_left(user),
            "required": permissions.must_use_second_factor(user),
            "may_remove": permissions.can_remove_second_factor(user),
            "remove_form": remove_form,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def set_up(request):
    """Scan the QR code (or type the secret) into an app, then type the code it shows."""
    key = request.session.get(PENDING_KEY)
    if key is None:
        key = request.session[PENDING_KEY] = services.new_authenticator_key()
    next_url = _next_url(request, default="accounts:security")
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.set_up_authenticator(
                user=request.user, key=key, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            del request.session[PENDING_KEY]
            _passed(request, device)
            request.session[NEW_RECOVERY_CODES] = codes
            messages.success(
                request,
                _(
                    "Your authenticator app is set up. From now on you sign in with your "
                    "password and a code from the app."
                ),
            )
            return redirect(_with_next("accounts:recovery_codes", next_url))
    uri = TOTPDevice(user=request.user, key=key).config_url
    return render(
        request,
        "accounts/set_up.html",
        {
            "form": form,
            "qr_code": qr_code_svg(uri, title=_("QR code for your authenticator app")),
            "secret": authenticator_secret(key),
            "replacing": permissions.has_second_factor(request.user),
            "required": permissions.must_use_second_factor(request.user),
            "next": next_url,
        },
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@require_http_methods(["GET"])
def recovery_codes(request):
    """New recovery codes, shown once: reloading the page does not show them again."""
    codes = request.session.pop(NEW_RECOVERY_CODES, None)
    if not codes:
        return redirect("accounts:security")
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": _next_url(request, default="accounts:security")},
    )


@require_POST
def new_recovery_codes(request):
    if not permissions.has_second_factor(request.user):
        raise PermissionDenied(_("Set up an authenticator app first."))
    request.session[NEW_RECOVERY_CODES] = services.replace_recovery_codes(user=request.user)
    messages.success(request, _("You have new recovery codes; the earlier ones no longer work."))
    return redirect("accounts:recovery_codes")


@require_POST
def remove(request):
    if not permissions.can_remove_second_factor(request.user):
        raise PermissionDenied(
            _("Your role requires a second factor: it cannot be removed.")
            if permissions.must_use_second_factor(request.user)
            else _("You have no authenticator app to remove.")
        )
    form = RemoveSecondFactorForm(request.POST, user=request.user)
    if not form.is_valid():
        return _render_security(request, form, status=400)
    services.remove_second_factor(user=request.user)
    messages.success(
        request,
        _("Your authenticator app and recovery codes are removed: the password alone signs in."),
    )
    return redirect("accounts:security")


@never_cache
@require_http_methods(["GET", "POST"])
def second_step(request):
    """After the password: a code from the authenticator app, or a recovery code."""
    next_url = _next_url(request)
    if not permissions.owes_second_step(request.user):
        return redirect(next_url)
    app_form = AppCodeForm(request.POST if "code" in request.POST else None)
    recovery_form = RecoveryCodeForm(request.POST if "recovery-code" in request.POST else None)
    form = app_form if app_form.is_bound else recovery_form
    if request.method == "POST" and form.is_valid():
        verification = services.verify_code(user=request.user, code=form.cleaned_data["code"])
        if verification.device is not None:
            _passed(request, verification.device)
            return redirect(next_url)
        add_refusal(form, verification)
    return render(
        request,
        "accounts/second_step.html",
        {"app_form": app_form, "recovery_form": recovery_form, "next": next_url},
        status=400 if request.method == "POST" else 200,
    )


@login_not_required
def admin_sign_in(request, extra_context=None):
    """The administration site signs in through the portal's own pages: password, then code."""
    next_url = _next_url(request, default="admin:index")
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(next_url)
    if permissions.can_use_admin(user):
        return redirect(next_url)
    if permissions.owes_second_step(user):
        return redirect(_with_next("accounts:second_step", next_url))
    if permissions.may_administer_site(user):
        messages.info(request, _("The administration site needs a second factor: set one up."))
        return redirect(_with_next("accounts:set_up", next_url))
    raise PermissionDenied(_("The administration site is for the plan administrators."))
