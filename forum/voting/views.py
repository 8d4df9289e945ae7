"""Votes over HTTP: works with htmx (the vote widget comes back) and as a plain form without JavaScript (redirect back to the post's anchor). A batch of one through forum.voting.services, the socket's engine."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from community.redirects import safe_next
from forum.models import post_model
from forum.responses import refused, to_login
from forum.safety.ratelimit import too_many_requests
from forum.voting import services as voting


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
    back = safe_next(request, item.anchor_url)
    if not request.user.is_authenticated:
        return to_login(request, back, voting.refusal_message(voting.Refusal.LOGGED_OUT, kind=kind))
    value = voting.VALUES.get(request.POST.get("value", ""))
    widget = {"kind": kind, "item": item, "my_vote": None, "vote_next": back}
    if value is None:
        return refused(request, "Choose up or down.", back, 400, ("forum/_vote.html", widget))
    # A batch of one through the socket's engine: the same rules, refusals and rate limit.
    [result] = voting.vote_many([voting.Ballot(voter=request.user, kind=kind, item_id=item.pk, value=value)])
    if result.refusal is voting.Refusal.RATE_LIMITED:
        return too_many_requests(request, result.detail)
    if result.refusal is not None:
        return refused(request, result.error, back, 403, ("forum/_vote.html", widget))
    if request.htmx:
        item.score = result.score
        return render(request, "forum/_vote.html", {**widget, "my_vote": result.my_vote})
    return redirect(back)
