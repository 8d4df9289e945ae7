"""The one place a question's or answer's status is written, and what follows from it.

Services decide *whether* a status changes (forum.posting.services: review decisions; forum.moderation.actions: hide,
delete, restore; forum.moderation.flags: hidden by flags; forum.moderation.sanctions: hide all of a member's content); this module
writes it and does what every change needs: going public (search entry, answer counts, badges, live feeds),
going private (answer counts, pages and live feeds drop it), and telling the author. Called inside the
caller's transaction; live events are sent after the commit (community.live.events).
"""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from accounts import badges
from accounts.models import ExpertCredential
from community.notifications.services import notify
from forum.alerts.tasks import question_went_public
from forum.live.announce import announce_public, announce_withdrawn
from forum.mentions.services import notify_mentions
from forum.models import Answer, Question, Status
from forum.search import index as search_index


def update_search_vector(question: Question) -> None:
    """Rebuild a question's full-text entry: its public text, or none when it is not public
    (forum.search.index, on PostgreSQL and SQLite)."""
    search_index.reindex(question.pk)


def refresh_answer_count(question_id: int) -> None:
    """Recount a question's public answers, and those by active experts ("awaiting an expert" lists read
    it), from the rows: one indexed aggregate."""
    counts = (
        Answer.objects.filter(question_id=question_id, status=Status.APPROVED)
        .annotate(by_expert=Exists(ExpertCredential.objects.active().filter(user=OuterRef("author"))))
        .aggregate(total=Count("pk"), experts=Count("pk", filter=Q(by_expert=True)))
    )
    Question.objects.filter(pk=question_id).update(
        answer_count=counts["total"], expert_answer_count=counts["experts"]
    )


def went_public(item) -> None:
    """Side effects of an item becoming visible to everyone (search, counts, badges, live feeds)."""
    if isinstance(item, Question):
        update_search_vector(item)
        badges.award_badges_for(item.author, only=badges.ON_QUESTION_PUBLISHED)
        question_went_public(item)  # its experts are told, after the commit (forum.alerts)
    else:
        refresh_answer_count(item.question_id)
        Question.objects.filter(pk=item.question_id).update(last_activity_at=timezone.now())
        search_index.reindex(item.question_id)  # its question's entry holds public expert answers
        badges.award_badges_for(item.author, only=badges.ON_ANSWER_PUBLISHED)
    announce_public(item)
    notify_mentions(item)  # members it names are told now, not while it was pending (forum.mentions)


def status_changed(item, *, was_public: bool) -> None:
    """After `item`'s status was written: recount its question's answers, and announce it public or
    withdrawn when it crossed the line between the two."""
    if isinstance(item, Answer):
        refresh_answer_count(item.question_id)
    if was_public and item.status != Status.APPROVED:
        # Out of the index (only public questions are in it), or out of its question's entry.
        search_index.reindex(item.thread_id)
        announce_withdrawn(item)
    elif not was_public and item.status == Status.APPROVED:
        went_public(item)


def set_status(item, status: str, *, previous_status: str) -> None:
    """Write a moderation status change of `item` (whose row the caller has locked or claimed): the status,
    the status to restore later, and the first approval time; then `status_changed`."""
    was_public = item.status == Status.APPROVED
    changes = {"status": status, "previous_status": previous_status}
    if status == Status.APPROVED and item.approved_at is None:
        changes["approved_at"] = timezone.now()
    type(item).objects.filter(pk=item.pk).update(**changes)
    for name, value in changes.items():
        setattr(item, name, value)
    status_changed(item, was_public=was_public)


def hide_all_by(author) -> int:
    """Hide everything `author` has published (a sanction with hide_content): one UPDATE per model, one
    recount per question that lost answers, and the live event that removes each item from open pages.
    Returns how many items were hidden."""
    hidden = []
    for model in (Question, Answer):
        items = list(model.objects.filter(author=author, status=Status.APPROVED))
        if not items:
            continue
        model.objects.filter(pk__in=[item.pk for item in items]).update(
            status=Status.HIDDEN, previous_status=Status.APPROVED
        )
        for item in items:
            item.status, item.previous_status = Status.HIDDEN, Status.APPROVED
        hidden += items
    for question_id in sorted({item.question_id for item in hidden if isinstance(item, Answer)}):
        refresh_answer_count(question_id)
    search_index.reindex_many(item.thread_id for item in hidden)
    for item in hidden:
        announce_withdrawn(item)
    return len(hidden)


def tell_author(item, entry, text: str) -> None:
    """Notify `item`'s author of a moderation action, linking to the notice (`entry`) they can appeal."""
    notify(item.author, "moderation", text, reverse("forum:notices") + f"#notice-{entry.pk}")
