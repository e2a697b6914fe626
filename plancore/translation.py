"""The plan's content fields kept in English and Spanish (django-modeltranslation).

Each model's history is registered with the same fields, so that the history tables keep every
language and a report built as of a past date reads its titles in the report's language.
"""

from modeltranslation.translator import TranslationOptions, register

from plancore.models import Chapter, Plan, SustainableDevelopmentGoal


class PlanTranslation(TranslationOptions):
    fields = ("title", "preamble", "signed_at")


class ChapterTranslation(TranslationOptions):
    fields = ("title", "background")


@register(SustainableDevelopmentGoal)
class SustainableDevelopmentGoalTranslation(TranslationOptions):
    fields = ("name", "title")


register(Plan)(PlanTranslation)
register(Plan.history.model)(PlanTranslation)
register(Chapter)(ChapterTranslation)
register(Chapter.history.model)(ChapterTranslation)
