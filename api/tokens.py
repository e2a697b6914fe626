"""Creating, using and revoking personal API tokens (the writes of api.models.ApiToken)."""

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken, digest

PREFIX_LENGTH = 8
# Last use is written at most this often, so that a busy program costs no write per request.
LAST_USE_PRECISION = timedelta(minutes=1)
LIFETIMES = (30, 90, 365)


@transaction.atomic
def create_token(*, user, name, days):
    """A new token for `user`; returns (token, the full secret), the secret shown this once."""
    if days not in LIFETIMES:
        raise ValidationError({"days": _("Choose one of the offered lifetimes.")})
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    secret = f"{prefix}.{secrets.token_urlsafe(32)}"
    token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=prefix,
        hashed_secret=digest(secret),
        expires_at=timezone.now() + timedelta(days=days),
    )
    token.full_clean()
    token.save()
    return token, secret


@transaction.atomic
def revoke_token(*, token, user):
    """Stop a token at once; only its owner may."""
    if token.user_id != user.pk:
        raise ValidationError(_("This token is not yours."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_for(secret, now=None):
    """The usable token whose secret this is, or None; records its use."""
    now = now or timezone.now()
    prefix, _dot, _rest = secret.partition(".")
    token = ApiToken.objects.usable(now).select_related("user").filter(prefix=prefix).first()
    if token is None or not secrets.compare_digest(token.hashed_secret, digest(secret)):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
