"""schema.org QAPage JSON-LD for a public question page, and the plain-text excerpts that page metadata
(descriptions, OpenGraph, Twitter cards) and feeds use.

Built from public data only: the approved question (never the viewer's pending edit) and its approved
answers, as any visitor sees them. Authors are named as the page names them: an anonymous asker (and the
asker's own replies on their anonymous question) and deleted members get no `author` at all.
Google's QAPage documentation: Question needs name, answerCount and, when answered, acceptedAnswer or
suggestedAnswer; Answer needs text, and should have url, datePublished, upvoteCount and author.
"""

import json
from html import unescape

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from community.site import absolute_url
from forum import page_cache, selectors
from forum.models import Answer, Question

# Inside <script>, JSON must not be able to close the element or open a comment.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def plain_text(html: str) -> str:
    """Rendered (already sanitised) Markdown as plain text, whitespace collapsed."""
    return " ".join(unescape(strip_tags(html)).split())


def excerpt(html: str, length: int = 200) -> str:
    return Truncator(plain_text(html)).chars(length)


def _person(user, *, anonymous: bool) -> dict | None:
    if anonymous or user.is_deleted:
        return None
    return {"@type": "Person", "name": user.public_name, "url": absolute_url(user.get_absolute_url())}


def _answer(question: Question, answer: Answer) -> dict:
    data = {
        "@type": "Answer",
        "text": plain_text(answer.body_html),
        "datePublished": answer.approved_at or answer.created_at,
        "dateCreated": answer.created_at,
        "upvoteCount": max(answer.score, 0),
        "url": absolute_url(answer.get_absolute_url()),
    }
    author = _person(
        answer.author, anonymous=question.is_anonymous and answer.author_id == question.author_id
    )
    if author:
        data["author"] = author
    return data


def qa_page(question: Question, answers: list[Answer]) -> dict:
    """The QAPage document for `question` (approved) and its approved `answers`."""
    answers = [a for a in answers if a.is_public]  # belt and braces: the callers pass public answers only
    for answer in answers:
        answer.question = question  # get_absolute_url reads the question; it is this one
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
        "url": absolute_url(question.get_absolute_url()),
    }
    author = _person(question.author, anonymous=question.is_anonymous)
    if author:
        entity["author"] = author
    if accepted is not None:
        entity["acceptedAnswer"] = _answer(question, accepted)
    if suggested:
        entity["suggestedAnswer"] = [_answer(question, a) for a in suggested]
    return {"@context": "https://schema.org", "@type": "QAPage", "mainEntity": entity}


def _public_qa_page_json(question_id: int) -> str:
    question = selectors.public_question(question_id)
    if question is None:
        return ""
    document = qa_page(question, selectors.public_answers(question))
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)


def qa_page_script(question_id: int) -> SafeString:
    """The <script type="application/ld+json"> element for a question's page ("" unless it is public), kept
    in the cache until the question's page changes (forum.page_cache), so members' pages pay one cache read."""
    body = page_cache.remember(
        f"jsonld:{question_id}",
        [page_cache.question_scope(question_id)],
        lambda: _public_qa_page_json(question_id),
    )
    if not body:
        return mark_safe("")
    # The JSON is escaped for a <script> element above (_SCRIPT_ESCAPES).
    return mark_safe(f'<script type="application/ld+json">{body}</script>')
