from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from notifications.models import EVENT_KINDS, REMINDER_KINDS, Kind, Mode

REMINDER_MODES = [(Mode.DIGEST, Mode.DIGEST.label), (Mode.NONE, Mode.NONE.label)]


class PreferencesForm(forms.Form):
    """A person's choices: one radio group per kind, and their language (pages and e-mails)."""

    language = forms.ChoiceField(
        label=_("Your language"),
        help_text=_("The portal's pages after you sign in, and your e-mails."),
        choices=settings.LANGUAGES,
    )

    def __init__(self, *args, preferences, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = preferences.language
        for kind in EVENT_KINDS + REMINDER_KINDS:
            choices = REMINDER_MODES if kind in REMINDER_KINDS else Mode.choices
            self.fields[kind] = forms.ChoiceField(
                label=Kind(kind).label,
                choices=choices,
                widget=forms.RadioSelect,
                initial=preferences.mode(kind),
            )

    def modes(self):
        return {kind: self.cleaned_data[kind] for kind in EVENT_KINDS + REMINDER_KINDS}
