from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from actions.models import Milestone, Responsibility
from partners.models import Institution, Side
from plancore.decorators import member_required


@member_required
def institution_list(request):
    institutions = (
        Institution.objects.select_related("country", "parent")
        .annotate(
            leads=Count("responsibilities", filter=Q(responsibilities__role="lead")),
            partners=Count("responsibilities", filter=Q(responsibilities__role="partner")),
        )
        .order_by("name")
    )
    groups = {Side.DK: [], Side.MX: [], Side.MULTILATERAL: []}
    for institution in institutions:
        groups[institution.side].append(institution)
    return render(
        request,
        "partners/institution_list.html",
        {"groups": [(Side(side), rows) for side, rows in groups.items()], "nav": "institutions"},
    )


@member_required
def institution_detail(request, code):
    institution = get_object_or_404(
        Institution.objects.select_related("country", "parent").prefetch_related(
            "children", "agreements"
        ),
        code=code,
    )
    responsibilities = (
        Responsibility.objects.filter(institution=institution)
        .select_related("action__chapter")
        .order_by("role", "action__chapter__number", "action__position")
    )
    milestones = (
        Milestone.objects.filter(responsible=institution)
        .select_related("action")
        .order_by("due_date")
    )
    return render(
        request,
        "partners/institution_detail.html",
        {
            "institution": institution,
            "leads": [r for r in responsibilities if r.role == "lead"],
            "partnerships": [r for r in responsibilities if r.role == "partner"],
            "milestones": milestones,
            "nav": "institutions",
        },
    )
