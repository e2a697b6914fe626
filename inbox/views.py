from django.shortcuts import render
from django.utils import timezone

from inbox import selectors
from plancore.decorators import member_required


@member_required
def needs_me(request):
    sections = selectors.needs_me(request.user, today=timezone.localdate())
    return render(
        request,
        "inbox/needs_me.html",
        {
            "sections": [s for s in sections if s.items],
            "total": sum(s.total for s in sections),
            "nav": "needs_me",
        },
    )
