"""Votes, accepted and featured answers over HTTP: each works with htmx (the changed fragment comes back)
and as a plain form without JavaScript (redirect back to the post's anchor). Thin adapters to
forum.voting and forum.curation; also the "Expert Q&A" and "awaiting an expert" pages."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.permissions import acting_expert
from community.redirects import safe_next

from . import curation, selectors, voting
from .models import Answer, Question, post_model
from .ratelimit import too_many_requests


def _anchor(item) -> str:
    if isinstance(item, Question):
        return f"{item.get_absolute_url()}#question-{item.pk}"
    return item.get_absolute_url()


def _to_login(request, back: str, why: str):
    """A visitor who is not logged in goes to log in, told why (`why`, shown on the login page), and comes
    back to the post afterwards."""
    messages.info(request, why)
    url = f"{reverse('account_login')}?{urlencode({'next': back})}"
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _refused(request, message: str, back: str, status: int = 403, fragment=None, answer=None):
    """Say why an action was refused: in place for htmx (the vote widget, or a message appended to the
    answer), else on a small page with a link back."""
    if request.htmx:
        template, context = fragment or ("forum/_flash.html", {})
        response = render(
            request, template, {**context, "error": message, "vote_error": message}, status=status
        )
        if answer is not None:
            response["HX-Retarget"] = f"#answer-{answer.pk}"
            response["HX-Reswap"] = "beforeend"
        return response
    return render(request, "forum/refused.html", {"message": message, "back": back}, status=status)


@require_POST
def vote(request, kind, pk):
    model = post_model(kind)
    if model is None:
        raise Http404
    related = ("question",) if kind == "answer" else ()
    # The widget and the way back need the post's numbers and address, not its text (an answer's row
    # with its question's text was most of the vote's reading).
    texts = ("body", "body_html", "search_vector") if kind == "question" else ("body", "body_html")
    texts += tuple(f"question__{f}" for f in ("body", "body_html", "search_vector")) if related else ()
    item = get_object_or_404(
        model.objects.visible_to(request.user).select_related(*related).defer(*texts), pk=pk
    )
    back = safe_next(request, _anchor(item))
    if not request.user.is_authenticated:
        return _to_login(request, back, voting.refusal_message(voting.Refusal.LOGGED_OUT, kind=kind))
    value = voting.VALUES.get(request.POST.get("value", ""))
    widget = {"kind": kind, "item": item, "my_vote": None, "vote_next": back}
    if value is None:
        return _refused(request, "Choose up or down.", back, 400, ("forum/_vote.html", widget))
    # A batch of one through the socket's engine: the same rules, refusals and rate limit.
    [result] = voting.vote_many([voting.Ballot(voter=request.user, kind=kind, item_id=item.pk, value=value)])
    if result.refusal is voting.Refusal.RATE_LIMITED:
        return too_many_requests(request, result.detail)
    if result.refusal is not None:
        return _refused(request, result.error, back, 403, ("forum/_vote.html", widget))
    if request.htmx:
        item.score = result.score
        return render(request, "forum/_vote.html", {**widget, "my_vote": result.my_vote})
    return redirect(back)


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
        return _to_login(request, back, "Log in to accept an answer.")
    try:
        if request.POST.get("undo"):
            curation.unaccept_answer(actor=request.user, question=answer.question)
            done = "The answer is no longer marked as accepted."
        else:
            curation.accept_answer(actor=request.user, answer=answer)
            done = "Thank you. The answer is marked as the one that helped."
    except PermissionDenied as exc:
        return _refused(request, str(exc), back, answer=answer)
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
        return _to_login(request, back, "Log in as a moderator to feature an answer.")
    try:
        if request.POST.get("undo"):
            curation.unfeature_answer(moderator=request.user, answer=answer)
            done = "The answer is no longer featured."
        else:
            curation.feature_answer(moderator=request.user, answer=answer)
            done = "The answer is featured on the home page."
    except PermissionDenied as exc:
        return _refused(request, str(exc), back, answer=answer)
    except ValidationError as error:
        return _refused(request, " ".join(error.messages), back, 400, answer=answer)
    if request.htmx:
        question = answer.question
        fresh = selectors.answers_for_page(question, request.user, only_pk=answer.pk)[0]
        return render(request, "forum/_answer.html", {"answer": fresh, "question": question})
    messages.success(request, done)
    return redirect(back)


def expert_qa(request):
    """Featured expert answers with their questions, by category."""
    return render(request, "forum/expert_qa.html", {"answers": selectors.expert_qa()})


@login_required
def awaiting_expert(request):
    """For verified experts: questions addressed to their specialties that no expert has answered yet."""
    expert = acting_expert(request.user)
    if not expert:
        raise PermissionDenied("This list is for verified experts.")
    page = selectors.paginate_questions(selectors.awaiting_expert(request.user), request.GET.get("before"))
    return render(
        request,
        "forum/awaiting_expert.html",
        {"page": page, "specialties": expert.specialties.all()},
    )
