"""The partners' names and the agreements' texts kept in English and Spanish, with their history."""

from modeltranslation.translator import TranslationOptions, register

from partners.models import Agreement, Country, Institution


@register(Country)
class CountryTranslation(TranslationOptions):
    fields = ("name", "government")


class InstitutionTranslation(TranslationOptions):
    fields = ("name",)


class AgreementTranslation(TranslationOptions):
    fields = ("title", "description")


register(Institution)(InstitutionTranslation)
register(Institution.history.model)(InstitutionTranslation)
register(Agreement)(AgreementTranslation)
register(Agreement.history.model)(AgreementTranslation)
