from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.views import admin_sign_in
from notifications.language import switch_language
from plancore import views
from plancore.forms import PortalPasswordChangeForm, SignInForm

admin.site.site_header = _("Action Plan Portal")
admin.site.site_title = _("Action Plan Portal")
admin.site.index_title = _("Denmark–Mexico Joint Strategic Action Plan 2023–2027")
admin.site.login = admin_sign_in

# Uploaded evidence and built reports are never served from MEDIA_URL: only through the views
# that check who may see them.
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("plan/", views.plan_overview, name="plan_overview"),
    path("plan/<slug:slug>/", views.plan_overview, name="plan_detail"),
    path("plan/<slug:slug>/chapters/<int:number>/", views.chapter_detail, name="chapter_detail"),
    path("actions/", include("actions.urls")),
    path("amendments/", include("amendments.urls")),
    path("institutions/", include("partners.urls")),
    path("reports/", include("reporting.urls")),
    path("needs-me/", include("inbox.urls")),
    path("spreadsheets/", include("spreadsheets.urls")),
    path("assessments/", include("assessments.urls")),
    path("meetings/", include("meetings.urls")),
    path("api/v1/", include("api.urls")),
    path("accounts/api-tokens/", include("api.token_urls")),
    path("accounts/login/", auth_views.LoginView.as_view(form_class=SignInForm), name="login"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(form_class=PortalPasswordChangeForm),
        name="password_change",
    ),
    path("accounts/notifications/", include("notifications.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", switch_language, name="set_language"),
    path("admin/", admin.site.urls),
]
