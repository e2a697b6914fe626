from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanCoreConfig(AppConfig):
    name = "plancore"
    verbose_name = _("Plan")
