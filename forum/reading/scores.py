"""The numbers of a public question's page that votes change, read on their own.

A vote changes a post's score and its author's reputation, nothing else on the page. So a vote replaces
only the question's `scores` version (community.page_cache.scores_changed): the question and its public answers
stay cached under the question's content version (forum.reading.views), and so do "More Q&A" and every shared
answer copy but the voted one (its score is part of its name, forum/templatetags/fragment_cache.py). The
numbers are read here in two small queries, kept under the `scores` version, patched into the cached
question and answers, and the answers put back in reading order (a score can move an answer), before the
page is built. Only public rows are read: nothing here can bring a pending, hidden or deleted answer onto
the page, and the question's asker is only named by the page's own rules (anonymous stays anonymous).
"""

from dataclasses import dataclass, field

from community import page_cache
from forum.models import Answer, Question, Status


@dataclass
class PageScores:
    """{answer id: (score, author's reputation)} of the public answers; the question's score and its
    asker's reputation (None when the question is no longer there)."""

    answers: dict = field(default_factory=dict)
    question: tuple | None = None


def _read(question_id: int) -> PageScores:
    answers = Answer.objects.filter(question_id=question_id, status=Status.APPROVED).values_list(
        "pk", "score", "author__reputation"
    )
    question = Question.objects.filter(pk=question_id).values_list("score", "author__reputation").first()
    return PageScores(answers={pk: (score, rep) for pk, score, rep in answers}, question=question)


def current(question_id: int, read: tuple | None = None) -> PageScores:
    """The question page's numbers, from the cache until a vote (or any change of the page) replaces them
    (`read`: their entry of community.page_cache.read_parts, when the page read them with its other parts)."""
    scopes = [page_cache.question_scores_scope(question_id)]
    return page_cache.remember(f"scores:{question_id}", scopes, lambda: _read(question_id), read)


def reading_order(answer) -> tuple:
    """forum.selectors' order of a question's answers: accepted, verified experts, score, oldest."""
    return (-int(answer.is_accepted), -int(answer.by_expert), -answer.score, answer.created_at, answer.pk)


def patch(question: Question, answers: list[Answer], scores: PageScores) -> list[Answer]:
    """`question` and `answers` (cached copies: changed in place) with the current numbers; the answers in
    reading order again."""
    if scores.question is not None:
        question.score, question.author.reputation = scores.question
    moved = False
    for answer in answers:
        numbers = scores.answers.get(answer.pk)
        if numbers is not None:
            moved |= numbers[0] != answer.score
            answer.score, answer.author.reputation = numbers
    return sorted(answers, key=reading_order) if moved else answers
