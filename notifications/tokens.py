"""The signed token of a one-click unsubscribe link: whose preference, and which one."""

from django.conf import settings
from django.core import signing

SALT = "notifications.unsubscribe"


def unsubscribe_token(user_id, kind):
    return signing.dumps({"u": user_id, "k": kind}, salt=SALT, compress=True)


def read_unsubscribe_token(token):
    """(user id, kind), or raises signing.BadSignature (SignatureExpired for an old link)."""
    data = signing.loads(token, salt=SALT, max_age=settings.NOTIFY_UNSUBSCRIBE_DAYS * 24 * 3600)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or "k" not in data:
        raise signing.BadSignature("not an unsubscribe token")
    return data["u"], data["k"]
