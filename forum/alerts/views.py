"""The moderators' list of questions overdue for an expert."""

from django.conf import settings
from django.shortcuts import render

from forum.alerts.selectors import OVERDUE_SHOWN, overdue_for_expert
from forum.permissions import moderator_required


@moderator_required
def overdue(request):
    questions = overdue_for_expert()
    return render(
        request,
        "forum/alerts/overdue.html",
        {"questions": questions, "hours": settings.EXPERT_OVERDUE_HOURS, "limit": OVERDUE_SHOWN},
    )
