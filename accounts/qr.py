"""The QR code an authenticator app scans, drawn here as inline SVG: no outside service, no
script, and no style attribute (the content security policy allows none)."""

from base64 import b32encode
from binascii import unhexlify

import segno
from django.utils.safestring import mark_safe


def authenticator_secret(key):
    """The key as authenticator apps take it when typed: base32, in groups of four."""
    secret = b32encode(unhexlify(key)).decode("ascii")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(uri, *, title):
    """`uri` as an SVG QR code, announced by assistive technology as an image named `title`."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff", title=title, svgclass="qr-code"
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))
