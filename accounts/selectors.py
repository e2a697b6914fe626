"""What the sign-in security page reads about a person's second factor."""

from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice


def authenticator_of(user):
    """The person's authenticator app (a confirmed TOTP device), or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
