"""What each domain change looks like as a live event. Called by services only; fragments are rendered
once per event here, never per subscriber, and never with a viewer (no request, no user, no CSRF token):
anything viewer-specific is added by static/js/live.js in the browser.

Public streams (`question.<id>`, `feed.*`) only ever carry approved content; pending items travel on the
moderators' stream only, and the author learns of decisions on their own `user.<id>` stream.

Open pages and cached pages go stale for the same reasons: each public announcement below also replaces
the version tokens of the anonymous pages it affects (community.page_cache), before its event is queued, so a
browser that refetches on the event never gets the old page.
"""

import logging

from django.template.loader import render_to_string

from community import page_cache
from community.live import events
from forum.models import Answer, Question, Revision
from forum.moderation.selectors import PROPOSAL_RELATED, pending_count, with_diffs
from forum.selectors import answers_for_page

log = logging.getLogger(__name__)


def _answer_html(answer: Answer) -> str:
    """The answer as everyone sees it (forum/_answer.html with live=True: no viewer-specific bits)."""

    answer = answers_for_page(answer.question, viewer=None, only_pk=answer.pk)[0]
    return render_to_string(
        "forum/_answer.html", {"answer": answer, "question": answer.question, "live": True}
    )


def _queue_item_html(item) -> str:
    """A pending item as the moderation queue shows it; its forms get their CSRF token in the browser."""
    if isinstance(item, Revision):
        item = with_diffs([Revision.objects.select_related(*PROPOSAL_RELATED).get(pk=item.pk)])[0]
    elif isinstance(item, Question):
        item = Question.objects.select_related("author", "category").prefetch_related("tags").get(pk=item.pk)
    else:
        item = Answer.objects.select_related("author", "question", "question__category").get(pk=item.pk)
    return render_to_string("forum/_queue_item.html", {"item": item, "live": True})


def _answer_count(question_id: int):
    def read() -> dict:
        count = Question.objects.filter(pk=question_id).values_list("answer_count", flat=True).first()
        return {"answer_count": count or 0}

    return read


def _pending_count() -> dict:

    return {"pending_count": pending_count()}


def _feed_streams(question: Question) -> list[str]:
    streams = [events.HOME_STREAM, events.category_stream(question.category.slug)]
    streams += [events.tag_stream(tag.slug) for tag in question.tags.all()]
    return streams


def announce_public(item) -> None:
    """An item became visible to everyone: the answer on its question's page ("answer.new" with the
    fragment), or the question on the home, category and tag feeds ("question.new", data only)."""
    # lists show answer counts too; nothing was taken away, so readers may get the previous copy meanwhile
    page_cache.question_changed(item.thread_id, lists=True, keep_previous=True)
    if not item.is_public:  # a guard: nothing pending, rejected or hidden reaches a public stream
        log.error("Refused to announce a %s %s that is not public", item.kind_name, item.pk)
        return
    if isinstance(item, Answer):
        events.publish(
            events.question_stream(item.question_id),
            "answer.new",
            {"answer_id": item.pk},
            html=_answer_html(item),
            late_data=_answer_count(item.question_id),
        )
    else:
        data = {"question_id": item.pk, "category": item.category.slug}
        for stream in _feed_streams(item):
            events.publish(stream, "question.new", data)


def announce_updated(item) -> None:
    """A public answer changed (edited by a moderator, or without review): open pages replace it."""
    page_cache.question_changed(item.thread_id)
    if isinstance(item, Answer) and item.is_public:
        events.publish(
            events.question_stream(item.question_id),
            "answer.updated",
            {"answer_id": item.pk},
            html=_answer_html(item),
        )


def announce_question_updated(question: Question) -> None:
    """A public question's text, title, category or tags changed (an edit applied): "question.updated" on
    its stream; open pages reload it (one GET each, as after a gap in the stream)."""
    if question.is_public:
        events.publish(events.question_stream(question.pk), "question.updated", {"question_id": question.pk})


def announce_withdrawn(item) -> None:
    """An item stopped being public (back to review, hidden, deleted): open pages remove it. Consumers
    drop a question's stream for everyone but moderators and the author on "question.removed"."""
    if isinstance(item, Answer):
        page_cache.question_changed(item.question_id, lists=True)
    else:
        page_cache.everything_changed()  # lists and every "More Q&A" that may show it
    if isinstance(item, Answer):
        events.publish(
            events.question_stream(item.question_id),
            "answer.removed",
            {"answer_id": item.pk},
            late_data=_answer_count(item.question_id),
        )
    else:
        data = {"question_id": item.pk}
        events.publish(events.question_stream(item.pk), "question.removed", data)
        for stream in _feed_streams(item):
            events.publish(stream, "question.removed", data)


def announce_pending(item) -> None:
    """An item awaits review: moderators' queues show it ("queue.new" with the queue fragment) and every
    moderator's header count follows."""
    post = item.post if isinstance(item, Revision) else item
    category = post.thread.category
    events.publish(
        events.MODERATION_STREAM,
        "queue.new",
        {"kind": item.kind_name, "id": item.pk, "category": category.slug},
        html=_queue_item_html(item),
        late_data=_pending_count,
    )


def announce_decided(item, moderator) -> None:
    """A moderator decided an item: other moderators' queues replace it with "approved by <name>"."""
    events.publish(
        events.MODERATION_STREAM,
        "queue.decided",
        {
            "kind": item.kind_name,
            "id": item.pk,
            "status": item.status,
            "by": moderator.public_name,
            "by_id": moderator.pk,
        },
        late_data=_pending_count,
    )


def announce_replaced(proposal) -> None:
    """The author replaced a proposed edit awaiting review with a newer one, or withdrew it (status
    "withdrawn"): open queues mark the card."""
    events.publish(
        events.MODERATION_STREAM,
        "queue.decided",
        {"kind": proposal.kind_name, "id": proposal.pk, "status": proposal.status, "by": "", "by_id": None},
        late_data=_pending_count,
    )


def announce_urgent(item) -> None:
    """A post with crisis language is waiting: moderators' open queues show it first, at once."""
    events.publish(
        events.MODERATION_STREAM, "queue.urgent", {"kind": item.kind_name, "id": item.pk, "urgent": True}
    )


def announce_flagged(item, *, open_flags: int, hidden: bool, urgent: bool = False) -> None:
    """A member flagged an item; `hidden` when the flags reached FORUM_FLAGS_TO_HIDE and hid it, `urgent`
    when they reached it but could not hide it (forum.moderation.flags)."""
    events.publish(
        events.MODERATION_STREAM,
        "queue.flagged",
        {"kind": item.kind_name, "id": item.pk, "flags": open_flags, "hidden": hidden, "urgent": urgent},
    )


# --- Votes, accepted and featured answers (their services: forum.voting.services, forum.curation.services) ----------------


def announce_score(item) -> None:
    """A vote changed the score of a public question or answer: "score" {"kind", "id", "score"} on the
    question's stream."""
    page_cache.scores_changed(item.thread_id, lists=isinstance(item, Question))
    _publish_score(item)


def _publish_score(item, read_scores=None) -> None:
    """`read_scores()`: {(model, pk): score} of a batch's posts, read once for all of its events."""
    model, pk = type(item), item.pk

    def late() -> dict:
        if read_scores is not None:
            return {"score": read_scores().get((model, pk))}
        return {"score": model.objects.filter(pk=pk).values_list("score", flat=True).first()}

    events.publish(
        events.question_stream(item.thread_id),
        "score",
        {"kind": item.kind_name, "id": item.pk, "score": item.score},
        # Read after the commit, so of two concurrent votes the later event carries the final score.
        late_data=late,
    )


def _scores_reader(items):
    """Reads the current scores of `items` once (after the commit), whichever of their events asks first."""
    read: dict = {}

    def scores() -> dict:
        if not read:
            read[None] = True
            for model in {type(item) for item in items}:
                ids = [item.pk for item in items if type(item) is model]
                for pk, score in model.objects.filter(pk__in=ids).values_list("pk", "score"):
                    read[(model, pk)] = score
        return read

    return scores


def announce_scores(items) -> None:
    """`announce_score` for many posts at once (a batch of socket votes): each question's pages are marked
    stale once, however many of its posts changed, and the scores the events carry are read in one query."""
    questions = {}
    for item in items:
        lists = questions.get(item.thread_id, False) or isinstance(item, Question)
        questions[item.thread_id] = lists
    for question_id, lists in questions.items():
        page_cache.scores_changed(question_id, lists=lists)
    read_scores = _scores_reader(items)
    for item in items:
        _publish_score(item, read_scores)


def announce_accepted(question, answer) -> None:
    """The asker accepted `answer` (None: withdrew the acceptance): "answer.accepted" {"question_id",
    "answer_id"} on the question's stream; open pages move the mark (and the answer to the top)."""
    page_cache.question_changed(question.pk)
    if answer is not None:
        answer.question = (
            question  # the question as just saved: the answer's mark follows its accepted_answer
        )
    events.publish(
        events.question_stream(question.pk),
        "answer.accepted",
        {"question_id": question.pk, "answer_id": answer.pk if answer else None},
        # The accepted answer as everyone sees it, mark included; open pages replace it in place.
        html=_answer_html(answer) if answer is not None and answer.is_public else "",
    )


def announce_featured(answer) -> None:
    """A moderator featured or unfeatured a public expert answer: "answer.featured" {"answer_id",
    "featured"} with the re-rendered answer on the question's stream, and on the home feed (whose
    "Expert answers" section lists featured answers)."""
    page_cache.question_changed(answer.question_id, lists=True)
    if not (answer.is_public):
        return  # public streams never carry what the public cannot see
    data = {"answer_id": answer.pk, "question_id": answer.question_id, "featured": answer.is_featured}
    events.publish(
        events.question_stream(answer.question_id), "answer.featured", data, html=_answer_html(answer)
    )
    events.publish(events.HOME_STREAM, "answer.featured", data)
