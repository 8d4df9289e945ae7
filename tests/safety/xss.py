"""The XSS payload corpus (tests/data/xss.txt) and content carrying it everywhere a member can type."""

from pathlib import Path

from django.urls import reverse

from forum.markdown import render
from tests.factories import AnswerFactory, QuestionFactory, UserFactory

XSS_PAYLOADS = [
    line
    for line in (Path(__file__).parent.parent / "data" / "xss.txt").read_text().splitlines()
    if line.strip() and not line.startswith("# ")
]


def xss_world() -> list[str]:
    """Content carrying every payload in every place a member can type: titles, bodies, answers, tags,
    display names, bios and locations."""
    pages = []
    for n, payload in enumerate(XSS_PAYLOADS):
        author = UserFactory(
            display_name=payload[:60], bio=payload, location=payload[:80], show_location=True
        )
        question = QuestionFactory(
            author=author, title=f"{payload}"[:200] or "t", body=f"Body {n}: {payload}", slug=f"xss-{n}"
        )
        question.body_html = render(question.body)
        question.save()
        question.tags.add(payload[:50] or "x")
        answer = AnswerFactory(question=question, author=author, body=payload)
        answer.body_html = render(answer.body)
        answer.save()
        pages += [question.get_absolute_url(), reverse("people:profile", args=[author.pk])]
    return pages
