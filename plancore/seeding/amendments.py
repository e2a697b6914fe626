"""The demo's amendments, made through the amendment services at past moments: one in force (the
target date of 7.1 extended, approved by both sides after the action's last recorded change, so
that its history shows the plan as amended from that day) and one waiting for Mexico's decision."""

from datetime import date, timedelta

from actions.models import Action
from amendments import services
from partners.models import Institution

EXTENSION_REASON = (
    "SENASICA's new inspection rules take effect only in 2027: the joint audits of food "
    "establishments need one more season under them before the cooperation can be assessed."
)
NEW_ACTION = {
    "title_en": "Dialogue on the regulation of medical devices",
    "title_es": "Diálogo sobre la regulación de dispositivos médicos",
    "text_en": (
        "The Danish Medicines Agency and COFEPRIS will exchange experience on the approval and "
        "market surveillance of medical devices, including software used as a medical device."
    ),
    "text_es": (
        "La Agencia Danesa de Medicamentos y la COFEPRIS intercambiarán experiencias sobre la "
        "autorización y la vigilancia en el mercado de los dispositivos médicos, incluido el "
        "software que se utiliza como dispositivo médico."
    ),
}


def propose_demo_amendments(plan, users, now):
    """Return the number of amendments made (two)."""
    action = Action.objects.get(chapter__plan=plan, number="7.1")
    # History rows are whole snapshots: the amendment comes after the action's last change, or a
    # later row dated before it would read the old target date again.
    last_change = Action.history.filter(id=action.pk).latest("history_date").history_date
    step = (now - last_change) / 4
    extension = services.propose_amendment(
        proposer=users["embassy-mx"],
        kind="target_date",
        action=action,
        reason=EXTENSION_REASON,
        target_date=date(action.target_date.year + 1, 6, 30),
        at=last_change + step,
    )
    services.approve_amendment(amendment=extension, user=users["admin"], at=last_change + 2 * step)
    services.approve_amendment(
        amendment=extension, user=users["admin-mx"], at=last_change + 3 * step
    )

    health = Action.objects.get(chapter__plan=plan, number="5.2").chapter
    proposed = now - timedelta(days=12)
    waiting = services.propose_amendment(
        proposer=users["embassy-dk"],
        kind="new_action",
        chapter=health,
        reason=(
            "Both agencies asked at their annual dialogue to add medical devices, which action "
            "5.2 does not cover."
        ),
        target_date=plan.period_end,
        responsibilities=[
            (Institution.objects.get(code="dkma"), "lead"),
            (Institution.objects.get(code="cofepris"), "lead"),
        ],
        at=proposed,
        **NEW_ACTION,
    )
    services.approve_amendment(
        amendment=waiting, user=users["admin"], at=proposed + timedelta(days=3)
    )
    return 2
