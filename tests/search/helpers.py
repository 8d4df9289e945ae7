"""What the search tests share: questions published the way members' are (asked, then approved), so they
reach the index through the one publication path."""

from forum.curation import services as curation
from forum.models import Question
from forum.moderation import review
from forum.posting import services
from tests.factories import UserFactory, category


def published(moderator, title, body="Some details.", *, slug="living-well", tags=("general",), author=None,
              anonymous=False) -> Question:  # fmt: skip
    question = services.ask(
        author=author or UserFactory(),
        title=title,
        body=body,
        category=category(slug),
        tags=list(tags),
        is_anonymous=anonymous,
        accepted_terms=True,
    )
    review.approve(moderator=moderator, item=question)
    question.refresh_from_db()
    return question


def answered(moderator, question, body, *, author=None, accept=False):
    answer = services.answer(
        author=author or UserFactory(), question=question, body=body, accepted_terms=True
    )
    answer.refresh_from_db()
    if answer.status != "approved":
        review.approve(moderator=moderator, item=answer)
    if accept:
        curation.accept_answer(actor=question.author, answer=answer)
    answer.refresh_from_db()
    return answer


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [q.title for q in response.context["results"].items]
