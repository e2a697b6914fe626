"""What the portal tells people by e-mail, how each person wants to be told, and what was sent."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a notification is about; each is one preference a person can change."""

    SUBMITTED = "submitted", _("An update waits for my side's review")
    RETURNED = "returned", _("My update was returned")
    APPROVED = "approved", _("An update I wrote or answer for was jointly approved")
    REPORT_READY = "report_ready", _("A report is ready for my side's release")
    REPORT_RELEASED = "report_released", _("A report was released by both sides")
    AMENDMENT = "amendment", _("An amendment waits for my side's decision")
    JOINT_ASSESSMENT = "joint_assessment", _("A joint assessment waits for my side's agreement")
    MILESTONES = "milestones", _("Reminders: milestones due soon or overdue")
    REVIEWS = "reviews", _("Reminders: updates waiting long for review")
    STALE = "stale", _("Reminders: actions with no update for 90 days")


EVENT_KINDS = (
    Kind.SUBMITTED,
    Kind.RETURNED,
    Kind.APPROVED,
    Kind.REPORT_READY,
    Kind.REPORT_RELEASED,
    Kind.AMENDMENT,
    Kind.JOINT_ASSESSMENT,
)
REMINDER_KINDS = (Kind.MILESTONES, Kind.REVIEWS, Kind.STALE)


class Mode(models.TextChoices):
    IMMEDIATE = "immediate", _("At once")
    DIGEST = "digest", _("In a daily digest")
    NONE = "none", _("Never")


def default_language():
    return settings.LANGUAGE_CODE


class Preferences(models.Model):
    """One person's choices: how they are told of each kind, and their language, in which the
    portal speaks to them once they sign in and writes their e-mails."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("person"),
    )
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default=default_language,
    )
    submitted = models.CharField(
        Kind.SUBMITTED.label, max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE
    )
    returned = models.CharField(
        Kind.RETURNED.label, max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE
    )
    approved = models.CharField(
        Kind.APPROVED.label, max_length=10, choices=Mode.choices, default=Mode.DIGEST
    )
    report_ready = models.CharField(
        Kind.REPORT_READY.label, max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE
    )
    # Officials ask to be told of released reports; nobody is by default.
    report_released = models.CharField(
        Kind.REPORT_RELEASED.label, max_length=10, choices=Mode.choices, default=Mode.NONE
    )
    # Plan administrators decide these for their side.
    amendment = models.CharField(
        Kind.AMENDMENT.label, max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE
    )
    joint_assessment = models.CharField(
        Kind.JOINT_ASSESSMENT.label, max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE
    )
    milestones = models.CharField(
        Kind.MILESTONES.label, max_length=10, choices=Mode.choices, default=Mode.DIGEST
    )
    reviews = models.CharField(
        Kind.REVIEWS.label, max_length=10, choices=Mode.choices, default=Mode.DIGEST
    )
    stale = models.CharField(
        Kind.STALE.label, max_length=10, choices=Mode.choices, default=Mode.DIGEST
    )

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(milestones="immediate")
                & ~models.Q(reviews="immediate")
                & ~models.Q(stale="immediate"),
                name="preferences_reminders_by_digest",
            )
        ]

    def __str__(self):
        return str(self.user)

    def mode(self, kind):
        """How this person is told of `kind` (reminders come in the daily digest at most)."""
        return getattr(self, kind)


class Delivery(models.Model):
    """One notification owed to one person, claimed before it is sent so it goes once only.

    The unique constraint is the guarantee: whoever inserts the row (a rerun, a retried task, a
    second beat) owns it; `sent_at` stays empty until the mail server has accepted the e-mail,
    so a failed send is sent again later. `kind` "digest" marks the daily digest itself.
    """

    DIGEST = "digest"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=20)
    key = models.CharField(
        _("about"), max_length=80, help_text=_("The object and moment this is about.")
    )
    threshold = models.PositiveIntegerField(
        _("threshold (days)"), default=0, help_text=_("For reminders: the days reached.")
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    facts = models.JSONField(_("facts"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["mode", "recipient"],
                condition=models.Q(sent_at__isnull=True),
                name="delivery_unsent_by_mode",
            ),
            # The rows a run claimed (all created at its moment), and the admin's newest first.
            models.Index(fields=["created_at"], name="delivery_by_creation"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "key", "threshold"], name="delivery_once_only"
            )
        ]

    def __str__(self):
        return f"{self.recipient} · {self.kind} · {self.key} · {self.threshold}"


class Start(models.Model):
    """When the portal began to notify: events from before it are never announced (the demo's
    three years of history, or a database restored from before notifications existed)."""

    started_at = models.DateTimeField(_("notifications started at"), default=timezone.now)

    class Meta:
        verbose_name = _("start of notifications")
        verbose_name_plural = _("start of notifications")

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M}"
