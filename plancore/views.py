from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from actions.selectors import actions_for_list, table_rows
from actions.views import PAGE_SIZE
from partners.models import Agreement
from plancore.dashboard import dashboard_context
from plancore.decorators import member_required
from plancore.models import Chapter, Plan


@member_required
def dashboard(request):
    return render(
        request, "plancore/dashboard.html", dashboard_context(request.user) | {"nav": "dashboard"}
    )


@member_required
def plan_overview(request, slug=None):
    plans = Plan.objects.all()
    plan = get_object_or_404(plans, slug=slug) if slug else plans.first()
    if plan is None:
        return render(request, "plancore/no_plan.html", {"nav": "plan"})
    chapters = (
        plan.chapters.with_actions().annotate(action_count=Count("actions")).order_by("number")
    )
    agreements = (
        Agreement.objects.filter(actions__chapter__plan=plan)
        .distinct()
        .select_related("parent")
        .prefetch_related("extensions", "parties", "actions")
    )
    return render(
        request,
        "plancore/plan_overview.html",
        {
            "plan": plan,
            "plans": plans,
            "chapters": chapters,
            "agreements": agreements,
            "parties": plan.parties.all(),
            "nav": "plan",
        },
    )


@member_required
def chapter_detail(request, slug, number):
    chapter = get_object_or_404(
        Chapter.objects.select_related("plan"), plan__slug=slug, number=number
    )
    actions = actions_for_list(chapter.actions.order_by("position"))
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "plancore/chapter_detail.html",
        {
            "chapter": chapter,
            "plan": chapter.plan,
            "page": page,
            "actions": table_rows(page.object_list),
            "nav": "plan",
        },
    )
