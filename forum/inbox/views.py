"""The expert's inbox page and the "I'm answering this" / "Stop" buttons (plain forms; open pages of other
experts hear about them on the experts-only live stream, static/js/expert_inbox.js)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import acting_expert
from community.live import events
from community.redirects import safe_next
from forum.inbox import claims
from forum.inbox import selectors as inbox_selectors
from forum.models import Category, Question
from forum.selectors import paginate_questions


def _expert_or_403(request):
    credential = acting_expert(request.user)
    if credential is None:
        raise PermissionDenied("This inbox is for verified experts.")
    return credential


@login_required
def inbox(request):
    """For verified experts: what waits for an answer from them, oldest first, with who is answering what."""
    credential = _expert_or_403(request)
    page = paginate_questions(
        inbox_selectors.inbox_questions(credential), request.GET.get("after"), oldest_first=True
    )
    found = claims.claims_for([q.pk for q in page.items])
    for question in page.items:
        question.claim = found.get(question.pk)
    return render(
        request,
        "forum/inbox/inbox.html",
        {
            "page": page,
            "specialties": Category.objects.filter(pk__in=inbox_selectors.specialty_ids(credential)),
            **events.page_stream(events.EXPERTS_STREAM),
        },
    )


@login_required
@require_POST
def claim(request, pk):
    _expert_or_403(request)
    question = get_object_or_404(Question.objects.public(), pk=pk)
    back = safe_next(request, question.get_absolute_url())
    try:
        claims.claim(expert=request.user, question=question)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Other experts now see that you are answering this question (for an hour).")
    return redirect(back)


@login_required
@require_POST
def release(request, pk):
    _expert_or_403(request)
    back = safe_next(request, reverse("forum:awaiting_expert"))
    if claims.release(expert=request.user, question_id=pk):
        messages.success(request, "Other experts no longer see you as answering this question.")
    return redirect(back)
