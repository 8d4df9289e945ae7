"""`{% cached_answer answer %}…{% endcached_answer %}`: each answer of a question page rendered once and
reused, for every viewer who would see the same HTML.

A question with 300 answers took ~300 ms to render for a member (bench/RESULTS.md); members get no whole-page
cache, but most of what they see of an answer is the same for all of them. The key of an answer's HTML holds
everything the fragment shows that can change: the answer's own state (score, status, marks, last edit),
its author's reputation, the question's accepted answer, asker and anonymity, and what kind of viewer
this is (a visitor; a member, with their own vote on it; its author; the asker); plus the page path and the
`site` version and expert-expiry horizon of forum.page_cache (names, photos and expert badges). Moderators,
members who may feature answers, and answers that are not approved are rendered every time.

CSRF: fragments are stored with forum.page_cache's placeholder and get the viewer's own token on the way out.
All of a page's fragments are read with one cache request and the missing ones written with one more.
"""

import hashlib

from django import template
from django.conf import settings
from django.core.cache import cache

from .. import page_cache
from ..curation import FEATURE_PERMISSION
from ..models import Status, is_moderator

register = template.Library()

PREFIX = "answerfrag:"


def _viewer_kind(context) -> str | None:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return "visitor"
    if is_moderator(user) or user.has_perm(FEATURE_PERMISSION):
        return None  # moderation links, review notes and feature buttons: rendered for them each time
    return "member"


def fragment_key(answer, question, context, versions: str, kind: str | None) -> str | None:
    if kind is None or answer.status != Status.APPROVED or context.get("live"):
        return None
    user = context.get("user")
    request = context.get("request")
    author = answer.author
    identity = (
        answer.pk,
        answer.score,
        answer.is_featured,
        answer.updated_at.timestamp(),
        answer.author_id,
        author.reputation,
        question.pk,
        question.author_id,
        question.is_anonymous,
        question.accepted_answer_id == answer.pk,
        kind,
        kind == "member" and user.pk == answer.author_id,
        kind == "member" and user.pk == question.author_id,
        getattr(answer, "my_vote", None),
        request.path if request is not None else "",
        versions,
    )
    return PREFIX + hashlib.blake2b(repr(identity).encode(), digest_size=16).hexdigest()


class CachedAnswerNode(template.Node):
    def __init__(self, answer, nodelist):
        self.answer, self.nodelist = answer, nodelist

    def _page_state(self, context) -> dict:
        """Once per rendering of the answer list: every answer's key, and the stored fragments."""
        state = context.render_context.get(self)
        if state is not None:
            return state
        state = {"keys": {}, "stored": {}, "missing": {}, "left": 0}
        answers, question = context.get("answers"), context.get("question")
        read = page_cache._read_versions([page_cache.SITE]) if settings.PAGE_CACHE_SECONDS else None
        if answers and question is not None and read is not None:
            versions = f"{'.'.join(read[0])}|{read[1]:.0f}"
            kind = _viewer_kind(context)
            for answer in answers:
                key = fragment_key(answer, question, context, versions, kind)
                if key:
                    state["keys"][answer.pk] = key
            state["stored"] = cache.get_many(list(state["keys"].values())) if state["keys"] else {}
            state["left"] = len(state["keys"])
        context.render_context[self] = state
        return state

    def render(self, context):
        answer = self.answer.resolve(context)
        state = self._page_state(context)
        key = state["keys"].get(getattr(answer, "pk", None))
        if key is None:
            return self.nodelist.render(context)
        html = state["stored"].get(key)
        if html is None:
            with context.push(csrf_token=page_cache.csrf_placeholder()):
                html = self.nodelist.render(context)
            state["missing"][key] = html
        state["left"] -= 1
        if state["left"] == 0 and state["missing"]:
            cache.set_many(state["missing"], settings.PAGE_CACHE_SECONDS)
            state["missing"] = {}
        token = context.get("csrf_token")
        return html.replace(page_cache.csrf_placeholder(), str(token)) if token else html


@register.tag
def cached_answer(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% cached_answer answer %} takes the answer.")
    nodelist = parser.parse(("endcached_answer",))
    parser.delete_first_token()
    return CachedAnswerNode(parser.compile_filter(bits[1]), nodelist)
