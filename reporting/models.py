"""A periodic bilateral progress report, and each build of it as a PDF."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from partners.models import Side
from reporting.periods import Period


def report_path(report, filename):
    return f"reports/{report.pk}/{filename}"


# The kinds that are a meeting's documents rather than a period's report.
MEETING_KINDS = ["agenda", "minutes"]

# Reports speak for both governments in the plan's two languages; Danish readers get English.
REPORT_LANGUAGES = [(code, name) for code, name in settings.LANGUAGES if code in ("en", "es")]


class Report(models.Model):
    class Kind(models.TextChoices):
        QUARTERLY = "quarterly", _("Quarterly progress report")
        ANNUAL = "annual", _("Annual review")
        CHAPTER = "chapter", _("Chapter report")
        INSTITUTION = "institution", _("Institution report")
        # A high-level meeting's documents (meetings/): built and released like any report.
        AGENDA = "agenda", _("Meeting agenda")
        MINUTES = "minutes", _("Meeting minutes")

    class State(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("report state", "Queued")
        BUILDING = "building", pgettext_lazy("report state", "Building")
        READY = "ready", pgettext_lazy("report state", "Ready")
        FAILED = "failed", pgettext_lazy("report state", "Failed")

    plan = models.ForeignKey(
        "plancore.Plan", on_delete=models.PROTECT, related_name="reports", verbose_name=_("plan")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=5, choices=REPORT_LANGUAGES)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    chapter = models.ForeignKey(
        "plancore.Chapter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("chapter"),
    )
    institution = models.ForeignKey(
        "partners.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("institution"),
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("meeting"),
    )
    as_of = models.DateField(_("as of"))

    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    file = models.FileField(
        _("file"),
        upload_to=report_path,
        blank=True,
        help_text=_("The PDF as released by both sides, without the draft mark."),
    )
    draft_file = models.FileField(
        _("draft file"),
        upload_to=report_path,
        blank=True,
        help_text=_(
            "The same PDF marked as a draft on every page, shown until both sides release it."
        ),
    )
    docx_file = models.FileField(_("editable document"), upload_to=report_path, blank=True)
    draft_docx_file = models.FileField(
        _("editable draft document"), upload_to=report_path, blank=True
    )
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("what went wrong"), blank=True)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requested_reports",
        verbose_name=_("requested by"),
        help_text=_("Empty for a scheduled report."),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    enqueued_at = models.DateTimeField(_("sent to the workers at"), null=True, blank=True)
    started_at = models.DateTimeField(_("build started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        _("build last seen alive at"),
        null=True,
        blank=True,
        help_text=_("A build records this every few seconds; one that stops lost its worker."),
    )
    finished_at = models.DateTimeField(_("build finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("build attempts"), default=0)

    released_dk_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released for Denmark by"),
    )
    released_dk_at = models.DateTimeField(_("released for Denmark at"), null=True, blank=True)
    released_mx_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released for Mexico by"),
    )
    released_mx_at = models.DateTimeField(_("released for Mexico at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["state", "enqueued_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
                name="report_quarter_1_to_4",
            ),
            models.CheckConstraint(
                condition=~Q(kind="quarterly") | Q(quarter__isnull=False),
                name="report_quarterly_has_quarter",
            ),
            models.CheckConstraint(
                condition=~Q(kind="annual") | Q(quarter__isnull=True),
                name="report_annual_has_no_quarter",
            ),
            models.CheckConstraint(
                condition=Q(kind="chapter", chapter__isnull=False)
                | (~Q(kind="chapter") & Q(chapter__isnull=True)),
                name="report_chapter_only_for_chapter_reports",
            ),
            models.CheckConstraint(
                condition=Q(kind="institution", institution__isnull=False)
                | (~Q(kind="institution") & Q(institution__isnull=True)),
                name="report_institution_only_for_institution_reports",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MEETING_KINDS, meeting__isnull=False)
                | (~Q(kind__in=MEETING_KINDS) & Q(meeting__isnull=True)),
                name="report_meeting_only_for_meeting_documents",
            ),
            models.CheckConstraint(
                condition=~Q(state="ready") | (Q(pages__gt=0) & ~Q(sha256="")),
                name="report_ready_has_a_file",
            ),
            models.CheckConstraint(
                condition=(Q(released_dk_at__isnull=True) & Q(released_mx_at__isnull=True))
                | Q(state="ready"),
                name="report_released_only_when_ready",
            ),
            models.UniqueConstraint(
                F("plan"),
                F("kind"),
                F("year"),
                Coalesce("quarter", Value(0)),
                Coalesce("chapter", Value(0)),
                Coalesce("institution", Value(0)),
                Coalesce("meeting", Value(0)),
                F("language"),
                condition=Q(state__in=["queued", "building"]),
                name="report_one_pending_build_of_each",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_language_display()})"

    @property
    def is_meeting_document(self):
        return self.kind in MEETING_KINDS

    @property
    def period(self):
        return Period(self.year, self.quarter)

    @property
    def title(self):
        if self.is_meeting_document:
            return f"{self.get_kind_display()} — {self.meeting}"
        subject = ""
        if self.kind == self.Kind.CHAPTER and self.chapter_id:
            subject = f" — {self.chapter}"
        elif self.kind == self.Kind.INSTITUTION and self.institution_id:
            subject = f" — {self.institution.short_name}"
        return f"{self.get_kind_display()} {self.period.label}{subject}"

    @property
    def filename(self):
        """A name people can file: jsap-2023-2027-annual-review-2024-en.pdf."""
        return self.filename_for("pdf")

    def filename_for(self, extension):
        plan = self.plan.slug
        if self.is_meeting_document:
            middle = f"meeting-{self.meeting.date.isoformat()}-{self.kind}"
        elif self.kind == self.Kind.ANNUAL:
            middle = f"annual-review-{self.period.slug}"
        elif self.kind == self.Kind.QUARTERLY:
            middle = f"quarterly-report-{self.period.slug}"
        elif self.kind == self.Kind.CHAPTER:
            middle = f"chapter-{self.chapter.number}-report-{self.period.slug}"
        else:
            middle = f"{self.institution.code}-report-{self.period.slug}"
        return f"{plan}-{middle}-{self.language}.{extension}"

    @property
    def is_released(self):
        return bool(self.released_dk_at and self.released_mx_at)

    def readable_file(self, extension="pdf"):
        """The file a reader gets now: marked as a draft until both sides have released the
        report, the clean one after (a report built before drafts were kept has only that)."""
        if extension == "docx":
            clean, draft = self.docx_file, self.draft_docx_file
        else:
            clean, draft = self.file, self.draft_file
        if self.is_released or not draft:
            return clean
        return draft

    def released_on(self, side):
        return self.released_dk_at if side == Side.DK else self.released_mx_at

    @property
    def build_seconds(self):
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None
