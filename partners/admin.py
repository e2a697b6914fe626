from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from partners.models import Agreement, AgreementExtension, Country, Institution, Membership


@admin.register(Country)
class CountryAdmin(TranslationAdmin):
    list_display = ["code", "name", "government"]
    search_fields = ["code", "name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role"]
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Institution)
class InstitutionAdmin(TranslationAdmin, SimpleHistoryAdmin):
    list_display = ["name", "acronym", "country", "kind", "parent"]
    list_filter = ["country", "kind"]
    search_fields = ["name", "name_es", "acronym", "code"]
    list_select_related = ["country", "parent"]
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]


class AgreementExtensionInline(admin.TabularInline):
    model = AgreementExtension
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(TranslationAdmin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "signed_display", "parent"]
    list_filter = ["kind"]
    search_fields = ["title", "description", "code"]
    filter_horizontal = ["parties"]
    list_select_related = ["parent"]
    inlines = [AgreementExtensionInline]

    @admin.display(description="Signed", ordering="signed_on")
    def signed_display(self, agreement):
        return agreement.signed_display


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "institution", "role"]
    list_filter = ["role", "institution__country", "institution"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "institution__name"]
    list_select_related = ["user", "institution"]
    autocomplete_fields = ["institution"]
    raw_id_fields = ["user"]
