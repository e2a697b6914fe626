"""MFA_REQUIRED_ROLES must name roles the portal has: a misspelt role would require nobody."""

from django.conf import settings
from django.core.checks import Error, register

from partners.models import Membership


@register()
def mfa_required_roles_are_known(app_configs, **kwargs):
    unknown = sorted(set(settings.MFA_REQUIRED_ROLES) - set(Membership.Role.values))
    if not unknown:
        return []
    return [
        Error(
            f"MFA_REQUIRED_ROLES names roles the portal does not have: {', '.join(unknown)}.",
            hint=f"Use some of: {', '.join(Membership.Role.values)}.",
            id="accounts.E001",
        )
    ]
