"""Forms of the sign-in security pages and the second sign-in step."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import services


def throttled_message(until):
    seconds = max(1, int((until - timezone.now()).total_seconds() + 0.999))
    return ngettext(
        "Too many wrong codes. Wait %(seconds)d second, then try again.",
        "Too many wrong codes. Wait %(seconds)d seconds, then try again.",
        seconds,
    ) % {"seconds": seconds}


class AppCodeForm(forms.Form):
    """The six digits an authenticator app shows."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("Six digits; a new code appears every 30 seconds."),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        code = services.normalised_code(self.cleaned_data["code"])
        if not services.APP_CODE.fullmatch(code):
            raise forms.ValidationError(_("Type the six digits your app shows."))
        return code


class RecoveryCodeForm(forms.Form):
    """One of the recovery codes given when the authenticator app was set up."""

    prefix = "recovery"
    code = forms.CharField(
        label=_("Recovery code"),
        help_text=_("Each recovery code works once."),
        max_length=24,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        return services.normalised_code(self.cleaned_data["code"])


def add_refusal(form, verification):
    """Say on the form why the code it carried was refused."""
    if verification.throttled_until:
        form.add_error("code", throttled_message(verification.throttled_until))
    else:
        form.add_error("code", _("That code is not right, or it has been used already."))


class RemoveSecondFactorForm(forms.Form):
    """Stopping the second step needs the password, or a code from the app, again."""

    confirmation = forms.CharField(
        label=_("Your password, or a code from your authenticator app"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_confirmation(self):
        typed = self.cleaned_data["confirmation"]
        if self.user.check_password(typed):
            return typed
        code = services.normalised_code(typed)
        if services.APP_CODE.fullmatch(code):
            verification = services.verify_code(user=self.user, code=code)
            if verification.device is not None:
                return typed
            if verification.throttled_until:
                raise forms.ValidationError(throttled_message(verification.throttled_until))
        raise forms.ValidationError(_("That is neither your password nor a current code."))
