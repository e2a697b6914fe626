"""Who may use the API at all; what each may do is asked of plancore.permissions per view."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from plancore import permissions


class UsesPortal(BasePermission):
    """Signed in (by token or session) and placed at an institution, as every page asks."""

    message = _("Your account is not placed at an institution of the plan.")

    def has_permission(self, request, view):
        return permissions.can_use_portal(request.user)
