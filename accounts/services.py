"""Every write to a person's second factor: their authenticator app and their recovery codes.

The authenticator is a django-otp TOTP device; the recovery codes are the tokens of a django-otp
static device, each usable once. Views, the demo loader and tests call these functions.
"""

import re
import time
from binascii import unhexlify
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10
# Codes one time step either side of the server's clock are accepted (django-otp's default).
TOLERANCE = 1
APP_CODE = re.compile(r"\d{6}")


def new_authenticator_key():
    """A fresh secret (20 random bytes, hex) for an authenticator app not yet set up."""
    return random_hex(20)


def normalised_code(code):
    """What the person typed, without the spaces or hyphens an app or a printout may show."""
    return re.sub(r"[\s-]", "", code or "").lower()


@transaction.atomic
def set_up_authenticator(*, user, key, code):
    """Keep the authenticator app holding `key` once it has given a right code: it replaces any
    earlier app, and comes with fresh recovery codes. Returns (device, recovery codes)."""
    code = normalised_code(code)
    totp = TOTP(unhexlify(key))
    totp.time = time.time()
    if not (APP_CODE.fullmatch(code) and totp.verify(int(code), tolerance=TOLERANCE)):
        raise ValidationError(
            _("That code does not match. Type the code your app shows now."), code="wrong_code"
        )
    TOTPDevice.objects.filter(user=user).delete()
    # last_t: the code just typed cannot be used again, not even for the next sign-in.
    device = TOTPDevice(user=user, name=AUTHENTICATOR_NAME, key=key, confirmed=True)
    device.last_t = totp.t()
    device.full_clean()
    device.save()
    return device, replace_recovery_codes(user=user)


@transaction.atomic
def replace_recovery_codes(*, user):
    """Ten new single-use recovery codes; the earlier ones stop working. Returns the codes,
    which are shown once."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_CODES_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    codes = sorted(codes)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def remove_second_factor(*, user):
    """Forget the person's authenticator app and recovery codes: the password alone signs in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@dataclass(frozen=True)
class Verification:
    """The outcome of checking a code: the device that accepted it, or why none did."""

    device: object = None
    throttled_until: datetime | None = None


def verify_code(*, user, code):
    """Check a code from the person's authenticator app (six digits) or one of their recovery
    codes (used up by this). Wrong codes make the next attempt wait, longer each time."""
    code = normalised_code(code)
    model = TOTPDevice if APP_CODE.fullmatch(code) else StaticDevice
    # The wrong attempt's throttling is saved: nothing after verify_token raises in this block.
    with transaction.atomic():
        devices = model.objects.select_for_update().filter(user=user, confirmed=True)
        throttled_until = None
        for device in devices:
            allowed, details = device.verify_is_allowed()
            if not allowed:
                throttled_until = (details or {}).get("locked_until")
                continue
            if device.verify_token(code):
                return Verification(device=device)
    return Verification(throttled_until=throttled_until)


@transaction.atomic
def give_known_authenticator(*, user, key):
    """An authenticator app whose key is already known, confirmed without a code: for the demo's
    plan administrator, whose key is published. A user who has an app keeps theirs.
    Returns whether one was added."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return False
    device = TOTPDevice(user=user, name=AUTHENTICATOR_NAME, key=key, confirmed=True)
    device.full_clean()
    device.save()
    return True
