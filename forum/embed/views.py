"""The box (`box`), the list it refreshes itself with (`items`) and a sample article that embeds it
(`demo`). Rendered without the request's context processors, so nothing reads the session or makes a CSRF
token: the box sets no cookies."""

import html
import logging
import re

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from community.site import absolute_url
from forum.api import reads
from forum.api.schemas import answer_out

log = logging.getLogger(__name__)

# scheme://host[:port], nothing else: a value with a path, a space or a ";" would change the policy itself.
ORIGIN_RE = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?$|^https?://\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")
DEFAULT_COUNT = 3
MAX_COUNT = 10
EXCERPT_WORDS = 40


class UnknownTopic(Exception):
    pass


def _topic(request) -> dict:
    """The box's category and tag from ?category=<slug>&tag=<slug> (either, both or neither)."""
    chosen = {}
    for name, find in (("category", reads.category), ("tag", reads.tag)):
        slug = request.GET.get(name, "").strip()
        if slug:
            chosen[name] = find(slug[:100])
            if chosen[name] is None:
                raise UnknownTopic(name)
    return chosen


def _count(request) -> int:
    try:
        return min(max(int(request.GET.get("n", DEFAULT_COUNT)), 1), MAX_COUNT)
    except ValueError:
        return DEFAULT_COUNT


def _answers(topic: dict, count: int) -> list[dict]:
    rows = reads.featured_answers(**topic).order_by(*reads.FEATURED_ORDER.order_by())[:count]
    answers = []
    for row in rows:
        shown = answer_out(row)
        # The box is a page of the site, so its links are the site's own paths (whatever host served it).
        shown["path"] = row.get_absolute_url()
        # Plain text: the sanitised HTML's words, escaped again by the template.
        shown["excerpt"] = Truncator(html.unescape(strip_tags(row.body_html))).words(EXCERPT_WORDS)
        answers.append(shown)
    return answers


def _query(topic: dict, count: int) -> str:
    params = {name: value.slug for name, value in topic.items()}
    if count != DEFAULT_COUNT:
        params["n"] = count
    return urlencode(params)


def _frameable(response: HttpResponse) -> HttpResponse:
    """Only the box may be framed: by the site itself (its demo) and EMBED_ALLOWED_ORIGINS."""
    origins = [origin for origin in settings.EMBED_ALLOWED_ORIGINS if ORIGIN_RE.match(origin)]
    if len(origins) != len(settings.EMBED_ALLOWED_ORIGINS):
        log.warning("EMBED_ALLOWED_ORIGINS has values that are not scheme://host[:port]; they are ignored")
    response._csp_replace = {"frame-ancestors": ["'self'", *origins]}
    return response


@xframe_options_exempt  # frame-ancestors decides who may frame the box; X-Frame-Options cannot list origins
@require_GET
def box(request):
    try:
        topic = _topic(request)
    except UnknownTopic as unknown:
        text = f"This box asks for a {unknown} that does not exist on {settings.SITE_NAME}. Check the slug in its address."
        page = render_to_string("embed/box.html", {"problem": text, "site_name": settings.SITE_NAME})
        return _frameable(HttpResponse(page, status=404))
    count = _count(request)
    answers = _answers(topic, count)
    topic_name = " · ".join(value.name for value in topic.values())
    category = topic.get("category")
    context = {
        "answers": answers,
        "topic": topic_name,
        "site_name": settings.SITE_NAME,
        "items_url": reverse("embed:items") + (f"?{query}" if (query := _query(topic, count)) else ""),
        "ask_url": reverse("forum:ask"),
        "more_url": category.get_absolute_url() if category else reverse("forum:expert_qa"),
        "streams": " ".join(["feed.home", *sorted({f"question.{a['question_id']}" for a in answers})]),
    }
    return _frameable(HttpResponse(render_to_string("embed/box.html", context)))


@require_GET
def items(request):
    """The box's list alone, which the box fetches when the live stream says something changed."""
    try:
        topic = _topic(request)
    except UnknownTopic:
        return HttpResponse("", status=404)
    answers = _answers(topic, _count(request))
    response = HttpResponse(render_to_string("embed/_items.html", {"answers": answers}))
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def demo(request):
    """A sample newspaper article with the box beside it, as a publisher would embed it."""
    chosen = {name: request.GET[name] for name in ("category", "tag") if request.GET.get(name)}
    src = reverse("embed:box") + (f"?{urlencode(chosen)}" if chosen else "")
    snippet = f'<iframe src="{absolute_url(src)}" title="Ask our experts" width="360" height="520"></iframe>'
    page = render_to_string(
        "embed/demo.html",
        {
            "src": src,
            "snippet": snippet,
            "site_name": settings.SITE_NAME,
            "origin": absolute_url("/").rstrip("/"),
        },
    )
    return HttpResponse(page)
