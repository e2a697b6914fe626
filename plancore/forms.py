"""Sign-in and password forms without autofocus, so the first Tab reaches the skip link."""

from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm


def _without_autofocus(form):
    for field in form.fields.values():
        field.widget.attrs.pop("autofocus", None)


class SignInForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _without_autofocus(self)


class PortalPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _without_autofocus(self)
