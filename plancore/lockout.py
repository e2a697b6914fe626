"""Sign-in lockout that holds across the sign-ins of others.

django-axes locks an account name after repeated failures, and separately an address. Its reset
on success deletes every failure that matches the signed-in request on *any* lockout parameter,
so one good sign-in from an address wiped the failures of every account tried from it: an
attacker with one valid account could guess another's password indefinitely. Here a successful
sign-in clears the failures recorded for that account only; the failures against other accounts
still count, both for their account names and for the address.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings


class AccountLockoutHandler(AxesDatabaseHandler):
    def reset_user_attempts(self, request, credentials=None):
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def client_address(request):
    """The address a sign-in comes from, for the address lockout.

    Behind TRUSTED_PROXY_COUNT proxies of our own (nginx in the compose stack), REMOTE_ADDR is the
    last proxy's; each proxy appends the address it was reached from to X-Forwarded-For, so the
    client's is the one that many places from the right. Entries further left were written by
    the client and are never trusted. Without proxies, or with a header shorter than the count,
    REMOTE_ADDR is the client.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")
