"""The read side of saved posts: what a member saved on a question page (to press their Save buttons), and their
Saved page. Only ever the member's own rows: every query starts from `member=`."""

from dataclasses import dataclass, field

from django.db.models import Q

from forum.models import Answer, Question, Status
from forum.saving.models import Saved

PAGE_SIZE = 20


@dataclass(frozen=True)
class SavedMarks:
    """What one member saved on one question's page: the question itself, and which of its answers."""

    question: bool = False
    answers: frozenset[int] = field(default_factory=frozenset)

    def has(self, kind: str, pk: int) -> bool:
        return self.question if kind == "question" else pk in self.answers


NOTHING_SAVED = SavedMarks()


def saved_on_question(member, question_id: int):
    """`member`'s saved rows on one question's page: the question itself, and any of its answers."""
    return Saved.objects.filter(member=member).filter(
        Q(question_id=question_id) | Q(answer__question_id=question_id)
    )


def marks_on_question(member, question_id: int) -> SavedMarks:
    """One query: whether `member` saved the question and which of its answers (a public question's page
    reads them with the viewer's votes instead: forum.selectors.viewer_state)."""
    if member is None or not member.is_authenticated:
        return NOTHING_SAVED
    question, answers = False, set()
    for saved_question, saved_answer in saved_on_question(member, question_id).values_list(
        "question_id", "answer_id"
    ):
        if saved_question:
            question = True
        else:
            answers.add(saved_answer)
    return SavedMarks(question=question, answers=frozenset(answers))


def marks_for_page(context, question_id: int) -> SavedMarks:
    """The viewer's marks for a template: the question page puts them in its context (`saved_marks`); other
    responses that render answers (htmx fragments) read them once per request."""
    marks = context.get("saved_marks")
    if isinstance(marks, SavedMarks):
        return marks
    request, user = context.get("request"), context.get("user")
    if request is None or user is None or not user.is_authenticated:
        return NOTHING_SAVED
    per_question = request.__dict__.setdefault("saved_marks_by_question", {})
    if question_id not in per_question:
        per_question[question_id] = marks_on_question(user, question_id)
    return per_question[question_id]


def _open_to(member, post) -> bool:
    """Whether a member (moderators included: their Saved page is their own, not a moderation view) may still
    read `post` by itself: public, or their own and not deleted."""
    return post.status == Status.APPROVED or (post.author_id == member.pk and post.status != Status.DELETED)


def is_available(member, post) -> bool:
    """Whether `member` may save `post` and see it on their Saved page: public posts, and their own while they
    can see them. An answer also needs its question to be so (its title would tell what was asked)."""
    if isinstance(post, Answer):
        return _open_to(member, post) and _open_to(member, post.question)
    return _open_to(member, post)


def may_offer(user, post) -> bool:
    """Whether a question page shows `user` a Save button on `post` (the server decides again on saving)."""
    return bool(user and user.is_authenticated) and (
        post.status == Status.APPROVED or post.author_id == user.pk
    )


@dataclass
class SavedPage:
    items: list
    next_cursor: int | None
    is_first: bool


# The text columns a Saved page does not show (it shows a plain-text excerpt of body_html).
_UNSHOWN = ("question__body", "question__search_vector", "answer__body", "answer__question__body")
_UNSHOWN += ("answer__question__body_html", "answer__question__search_vector")


def saved_page(member, before: str | None = None) -> SavedPage:
    """The member's saved posts, newest first, PAGE_SIZE at a time (keyset: `before` is the last row's id).
    Each item carries `available` (`is_available`): a post that is not is listed without its content."""
    qs = (
        Saved.objects.filter(member=member)
        .select_related("question", "answer", "answer__question")
        .defer(*_UNSHOWN)
        .order_by("-id")
    )
    cursor = int(before) if before and before.isdigit() else None
    if cursor is not None:
        qs = qs.filter(id__lt=cursor)
    rows = list(qs[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    for item in rows:
        item.available = is_available(member, item.post)
    return SavedPage(items=rows, next_cursor=rows[-1].pk if more else None, is_first=cursor is None)


def saved_item(member, pk: int) -> Saved | None:
    """One of the member's own saved posts (None for anyone else's: the caller answers 404)."""
    item = Saved.objects.filter(member=member, pk=pk).select_related("question", "answer__question").first()
    if item is not None:
        item.available = is_available(member, item.post)
    return item


def find_post(kind: str, pk: int):
    """The question or answer a Save button names (with its question), or None."""
    if kind == "question":
        return Question.objects.filter(pk=pk).defer("body_html", "search_vector").first()
    if kind == "answer":
        return Answer.objects.filter(pk=pk).select_related("question").first()
    return None
