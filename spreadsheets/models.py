"""An uploaded spreadsheet between its preview and its confirmation.

The parsed changes are kept as JSON with their owner, so the confirmation applies exactly what
was previewed, and only its owner can confirm it. The file itself is not kept.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Import(models.Model):
    class State(models.TextChoices):
        PREVIEWED = "previewed", _("Waiting for confirmation")
        APPLYING = "applying", _("Being saved")
        APPLIED = "applied", _("Saved")
        FAILED = "failed", _("Not saved")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="spreadsheet_imports",
        verbose_name=_("owner"),
    )
    file_name = models.CharField(_("file name"), max_length=200)
    rows = models.JSONField(_("rows"), default=list)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PREVIEWED
    )
    language = models.CharField(_("language"), max_length=10)
    error = models.TextField(_("error"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.file_name} ({self.state})"

    @property
    def changes(self):
        return [row for row in self.rows if row["changes"]]

    @property
    def blocked(self):
        """Rows with errors or conflicts: then nothing may be saved."""
        return any(row["errors"] or row["conflict"] for row in self.rows)
