from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # The report pipeline builds a meeting's agenda and minutes with these documents.
        from meetings import documents

        documents.register()
