from functools import wraps

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from plancore.permissions import can_use_portal


def member_required(view):
    """Signed in (LoginRequiredMiddleware sees to that) and placed at an institution."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_use_portal(request.user):
            raise PermissionDenied(
                _("Your account is not yet attached to an institution. Ask the secretariat.")
            )
        return view(request, *args, **kwargs)

    return wrapped
