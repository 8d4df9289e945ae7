"""A question's whole answer list, rendered once for every member who sees it the same way.

Most members who open a question did not ask it and wrote none of its answers: for all of them the answer
list is the same HTML except for their own votes and their CSRF token. That HTML is kept in the cache under
the question's page version (forum.page_cache: any change to the question or its answers replaces it), with
each vote button unpressed and the CSRF placeholder; serving it to a member takes their votes on the page
(one query) and presses the buttons of the answers they voted on. A member's page of a question with 300
answers no longer reads, keys and joins 300 cached fragments (bench/RESULTS.md).

Everyone else gets the page rendered answer by answer (forum/templatetags/fragment_cache.py): the asker
(accept buttons), authors of an answer on the page (edit links), members with an answer awaiting review,
moderators, members who may feature answers, and suspended or banned members (no Flag buttons).
"""

from django.conf import settings
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

from . import page_cache, selectors
from .curation import can_feature
from .models import is_moderator
from .sanctions import shown_restriction

VOTE_BUTTON = {
    1: 'class="vote-button vote-up" aria-pressed="false"',
    -1: 'class="vote-button vote-down" aria-pressed="false"',
}
WIDGET_SPAN = 2000  # a vote widget's buttons come within this many characters of its id


def for_member(request, question, public_answers) -> tuple[str, int | None] | None:
    """(the answer list's HTML for `request.user`, the featured answer's id), or None when this viewer
    needs their own rendering. `public_answers()` gives the question's public answers (cached)."""
    user = request.user
    if not settings.PAGE_CACHE_SECONDS or not user.is_authenticated or user.pk == question.author_id:
        return None
    if is_moderator(user) or can_feature(user) or shown_restriction(user) is not None:
        return None
    name = f"answerblock:{question.pk}:{request.path}"
    stamp, block = page_cache.read_stamped(name, [page_cache.question_scope(question.pk)])
    if block is None:
        answers = public_answers()
        if any(answer.author_id == user.pk for answer in answers):
            return None  # their own answer shows an edit link: not the shared HTML
        block = _render(request, question, answers)
        if stamp is not None:
            page_cache.store_stamped(name, stamp, block)
    html, answer_ids, author_ids, featured = block
    if user.pk in author_ids:
        return None
    on_question, on_answers, has_pending = selectors.viewer_state(user, question.pk, answer_ids)
    if has_pending:
        return None  # their answer awaiting review shows to them: their own rendering
    question.my_vote = on_question
    return _press(html, on_answers).replace(page_cache.csrf_placeholder(), get_token(request)), featured


def _render(request, question, answers) -> tuple[str, list[int], set[int], int | None]:
    """The list as a member who asked nothing, wrote nothing and voted nothing here sees it."""
    for answer in answers:
        answer.my_vote = None
    answers = selectors._attach(answers, question)
    html = render_to_string(
        "forum/_answer_list.html",
        # answer_form: a public question takes answers (the empty list's invitation says so).
        {
            "answers": answers,
            "question": question,
            "answer_form": True,
            "csrf_token": page_cache.csrf_placeholder(),
        },
        request=request,
    )
    featured = next((a.pk for a in answers if a.is_featured and a.is_public), None)
    return html, [a.pk for a in answers], {a.author_id for a in answers}, featured


def _press(html: str, votes: dict[int, int]) -> str:
    """Press the member's vote buttons: each one is found after its widget's id."""
    for answer_id, value in votes.items():
        start = html.find(f'id="vote-answer-{answer_id}"')
        if start < 0:
            continue
        button = VOTE_BUTTON[value]
        at = html.find(button, start, start + WIDGET_SPAN)
        if at >= 0:
            pressed = button.replace('"false"', '"true"')
            html = html[:at] + pressed + html[at + len(button) :]
    return html
