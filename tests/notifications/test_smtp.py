"""A real SMTP round trip: the digest goes through Django's SMTP backend to a local server."""

import socket
from datetime import date, timedelta
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller

from notifications import services
from notifications.models import Delivery
from notifications.tokens import read_unsubscribe_token
from tests.factories import MilestoneFactory

TODAY = date(2026, 3, 2)


class Inbox:
    """An aiosmtpd handler that keeps every message it is given, refusing `refused` addresses."""

    def __init__(self):
        self.envelopes = []
        self.refused = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = False
    yield inbox
    controller.stop()


def header(message, name):
    return str(make_header(decode_header(message[name])))


def test_the_daily_digest_reaches_a_real_smtp_server_in_the_recipients_language(world, smtp_server):
    services.set_preferences(user=world.liaison_mx, language="es")
    due = TODAY + timedelta(7)
    MilestoneFactory(
        action=world.action, start_date=due - timedelta(30), due_date=due, title="Muestreo"
    )
    services.send_reminders(today=TODAY)

    to_mexico = [e for e in smtp_server.envelopes if e.rcpt_tos == [world.liaison_mx.email]]
    assert len(to_mexico) == 1
    message = message_from_bytes(to_mexico[0].content)
    assert header(message, "To") == world.liaison_mx.email
    assert message["Content-Language"] == "es"
    assert "resumen diario" in header(message, "Subject").lower()
    body = message.get_payload(decode=True).decode()
    assert "Vence en 7 días" in body and "Muestreo" in body
    assert f"https://portal.example.org/actions/{world.action.pk}/" in body

    link = "".join(message["List-Unsubscribe"].split()).strip("<>")  # unfolded
    assert link.startswith("https://portal.example.org/accounts/notifications/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert read_unsubscribe_token(token) == (world.liaison_mx.pk, "milestones")
    assert link in body

    to_denmark = [e for e in smtp_server.envelopes if e.rcpt_tos == [world.liaison_dk.email]]
    english = message_from_bytes(to_denmark[0].content)
    assert "daily digest" in header(english, "Subject")


def test_an_address_the_server_refuses_holds_up_nobody_else_and_waits(world, smtp_server):
    smtp_server.refused.add(world.liaison_dk.email)
    due = TODAY + timedelta(7)
    MilestoneFactory(action=world.action, start_date=due - timedelta(30), due_date=due)
    services.send_reminders(today=TODAY)
    received = {address for e in smtp_server.envelopes for address in e.rcpt_tos}
    assert world.liaison_mx.email in received and world.liaison_dk.email not in received
    waiting = Delivery.objects.filter(recipient=world.liaison_dk, sent_at__isnull=True)
    assert waiting.filter(kind="milestones").exists()
    assert not Delivery.objects.filter(recipient=world.liaison_dk, kind="digest").exists()
