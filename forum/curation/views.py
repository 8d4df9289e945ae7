"""Votes, accepted and featured answers over HTTP: each works with htmx (the changed fragment comes back)
and as a plain form without JavaScript (redirect back to the post's anchor). Thin adapters to
forum.voting.services and forum.curation.services; also the "Expert Q&A" page (the experts' inbox is forum.inbox)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from community.redirects import safe_next
from forum import selectors
from forum.curation import selectors as curation_selectors
from forum.curation import services as curation
from forum.models import Answer
from forum.responses import refused, to_login


def _answer_for_action(request, pk) -> Answer:
    return get_object_or_404(
        Answer.objects.visible_to(request.user).select_related("question", "author"), pk=pk
    )


@require_POST
def accept(request, pk):
    """The asker accepts an answer (or, with `undo`, withdraws the acceptance)."""
    answer = _answer_for_action(request, pk)
    back = safe_next(request, answer.get_absolute_url())
    if not request.user.is_authenticated:
        return to_login(request, back, "Log in to accept an answer.")
    try:
        if request.POST.get("undo"):
            curation.unaccept_answer(actor=request.user, question=answer.question)
            done = "The answer is no longer marked as accepted."
        else:
            curation.accept_answer(actor=request.user, answer=answer)
            done = "Thank you. The answer is marked as the one that helped."
    except PermissionDenied as exc:
        return refused(request, str(exc), back, answer=answer)
    if request.htmx:
        question = selectors.question_for_page(answer.question_id, request.user)
        return render(
            request,
            "forum/_answer_list.html",
            {"question": question, "answers": selectors.answers_for_page(question, request.user)},
        )
    messages.success(request, done)
    return redirect(back)


@require_POST
def feature(request, pk):
    """A moderator features an expert answer (or, with `undo`, unfeatures it)."""
    answer = _answer_for_action(request, pk)
    back = safe_next(request, answer.get_absolute_url())
    if not request.user.is_authenticated:
        return to_login(request, back, "Log in as a moderator to feature an answer.")
    try:
        if request.POST.get("undo"):
            curation.unfeature_answer(moderator=request.user, answer=answer)
            done = "The answer is no longer featured."
        else:
            curation.feature_answer(moderator=request.user, answer=answer)
            done = "The answer is featured on the home page."
    except PermissionDenied as exc:
        return refused(request, str(exc), back, answer=answer)
    except ValidationError as error:
        return refused(request, " ".join(error.messages), back, 400, answer=answer)
    if request.htmx:
        question = answer.question
        fresh = selectors.answers_for_page(question, request.user, only_pk=answer.pk)[0]
        return render(request, "forum/_answer.html", {"answer": fresh, "question": question})
    messages.success(request, done)
    return redirect(back)


def expert_qa(request):
    """Featured expert answers with their questions, by category."""
    return render(request, "forum/expert_qa.html", {"answers": curation_selectors.expert_qa()})
