"""Sign-in and password forms without autofocus, so the first Tab reaches the skip link, and
the errors of a service shown on the form that called it."""

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


def errors_onto_form(form, error):
    """A service's ValidationError shown on the form: on its fields where they are the form's,
    else above it."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
