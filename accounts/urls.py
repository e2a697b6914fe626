from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("security/", views.security, name="security"),
    path("security/authenticator/", views.set_up, name="set_up"),
    path("security/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("security/recovery-codes/new/", views.new_recovery_codes, name="new_recovery_codes"),
    path("security/remove/", views.remove, name="remove"),
    path("second-step/", views.second_step, name="second_step"),
]
