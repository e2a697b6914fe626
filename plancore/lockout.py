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


class AccountLockoutHandler(AxesDatabaseHandler):
    def reset_user_attempts(self, request, credentials=None):
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count
