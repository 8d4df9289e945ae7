"""schema.org QAPage JSON-LD for a public question page, and the plain-text excerpts that page metadata
(descriptions, OpenGraph, Twitter cards) and feeds use.

Built from public data only: the approved question (its row: an author's pending edit is a separate
Revision) and its approved answers, as any visitor sees them, whoever's page they were read for. Authors are named as the page names them: an anonymous asker (and the
asker's own replies on their anonymous question) and deleted members get no `author` at all.
Google's QAPage documentation: Question needs name, answerCount and, when answered, acceptedAnswer or
suggestedAnswer; Answer needs text, and should have url, datePublished, upvoteCount and author.
"""

import functools
import json
import re
from html import unescape

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from community import page_cache
from community.site import absolute_url
from forum.models import Answer, Question

# Inside <script>, JSON must not be able to close the element or open a comment.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


# Our own sanitised Markdown output (forum.markdown): inline tags join their words, others separate them.
_INLINE_TAG = re.compile(r"</?(?:a|abbr|b|code|del|em|i|ins|kbd|mark|s|span|strong|sub|sup|u)\b[^>]*>")
_TAG = re.compile(r"<[^>]*>")


def plain_text(html: str) -> str:
    """Rendered (already sanitised) Markdown as plain text, whitespace collapsed. A regular expression
    rather than Django's strip_tags, which is an HTML parser: 24 times slower, and a 300-answer page's
    JSON-LD spent most of its ~100 ms there."""
    return " ".join(unescape(_TAG.sub(" ", _INLINE_TAG.sub("", html))).split())


def excerpt(html: str, length: int = 200) -> str:
    return Truncator(plain_text(html)).chars(length)


@functools.cache
def _profile_url_format() -> str:
    # One reverse() for every author: reverse() was most of a 300-answer page's JSON-LD time.
    return absolute_url(reverse("people:profile", args=[987654321])).replace("987654321", "{pk}")


def _person(user, *, anonymous: bool) -> dict | None:
    if anonymous or user.is_deleted:
        return None
    return {"@type": "Person", "name": user.public_name, "url": _profile_url_format().format(pk=user.pk)}


def _answer(question: Question, question_url: str, answer: Answer) -> dict:
    data = {
        "@type": "Answer",
        "text": plain_text(answer.body_html),
        "datePublished": answer.approved_at or answer.created_at,
        "dateCreated": answer.created_at,
        "upvoteCount": max(answer.score, 0),
        "url": f"{question_url}#answer-{answer.pk}",
    }
    author = _person(
        answer.author, anonymous=question.is_anonymous and answer.author_id == question.author_id
    )
    if author:
        data["author"] = author
    return data


def qa_page(question: Question, answers: list[Answer]) -> dict:
    """The QAPage document for `question` (approved) and its approved `answers`."""
    answers = [a for a in answers if a.is_public]
    question_url = absolute_url(question.get_absolute_url())
    accepted = next((a for a in answers if a.pk == question.accepted_answer_id), None)
    suggested = [a for a in answers if a is not accepted]
    entity = {
        "@type": "Question",
        "name": question.title,
        "text": plain_text(question.body_html),
        "answerCount": len(answers),
        "upvoteCount": max(question.score, 0),
        "datePublished": question.approved_at or question.created_at,
        "dateCreated": question.created_at,
        "url": question_url,
    }
    author = _person(question.author, anonymous=question.is_anonymous)
    if author:
        entity["author"] = author
    if accepted is not None:
        entity["acceptedAnswer"] = _answer(question, question_url, accepted)
    if suggested:
        entity["suggestedAnswer"] = [_answer(question, question_url, a) for a in suggested]
    return {"@context": "https://schema.org", "@type": "QAPage", "mainEntity": entity}


def _as_script_json(document: dict) -> str:
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)


def qa_page_script(question: Question, answers: list[Answer]) -> SafeString:
    """The <script type="application/ld+json"> element for a public question's page, from the question and
    answers the page already read (no query of its own): only the answers that are public go in, whoever is
    looking (a moderator's page also lists hidden ones, an author's their pending ones). Kept in the cache
    until the question's page changes (community.page_cache), so members' pages do not rebuild it."""
    if not question.is_public:
        return mark_safe("")
    body = page_cache.remember(
        f"jsonld:{question.pk}",
        [page_cache.question_scope(question.pk)],
        lambda: _as_script_json(qa_page(question, answers)),
    )
    # The JSON is escaped for a <script> element (_SCRIPT_ESCAPES).
    return mark_safe(f'<script type="application/ld+json">{body}</script>')
