from django import forms
from django.utils.translation import gettext_lazy as _

from api.tokens import LIFETIMES


class NewTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("What the token is for, e.g. “Ministry dashboard”."),
    )
    days = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        choices=[(days, _("%(days)s days") % {"days": days}) for days in LIFETIMES],
        initial=90,
    )
