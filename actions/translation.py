"""The actions' titles and texts and the milestones' titles kept in English and Spanish, with
their history (so that a report as of a past date reads them in the report's language)."""

from modeltranslation.translator import TranslationOptions, register

from actions.models import Action, Milestone


class ActionTranslation(TranslationOptions):
    fields = ("short_title", "text")


class MilestoneTranslation(TranslationOptions):
    fields = ("title",)


register(Action)(ActionTranslation)
register(Action.history.model)(ActionTranslation)
register(Milestone)(MilestoneTranslation)
register(Milestone.history.model)(MilestoneTranslation)
