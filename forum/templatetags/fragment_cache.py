"""Fragments of members' pages rendered once and reused for every viewer who would see the same HTML.

`{% cached_rows page %}…{% endcached_rows %}`: the rows of a question list (home, category, tag).
`{% cached_answer answer %}…{% endcached_answer %}`: each answer of a question page.
`{% form_fields form %}`: an empty form's fields (the question page's answer form), rendered once per process.

A question with 300 answers took ~300 ms to render for a member (bench/RESULTS.md); members get no whole-page
cache, but most of what they see of an answer is the same for all of them. The key of an answer's HTML holds
everything the fragment shows that can change: the answer's own state (score, status, marks, last edit),
its author's reputation, the question's accepted answer, asker and anonymity, and what kind of viewer
this is (a visitor; a member, with their own vote on it; its author; the asker); plus the page path. Each
fragment is stored with the stamp it was rendered under (forum.page_cache's `site` version and expert-expiry
horizon: names, photos and expert badges) and used only while that stamp is current. Moderators, members
who may feature answers, suspended or banned members (no Flag buttons) and answers that are not approved
are rendered every time.

CSRF: fragments are stored with forum.page_cache's placeholder and get the viewer's own token on the way out.
All of a page's fragments and the stamp are read with one cache request; the missing ones written with one.
"""

import hashlib

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string

from .. import page_cache
from ..curation import can_feature
from ..models import Status, is_moderator
from ..sanctions import shown_restriction

register = template.Library()

PREFIX = "answerfrag:"


def _viewer_kind(context) -> str | None:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return "visitor"
    if is_moderator(user) or can_feature(user) or shown_restriction(user) is not None:
        # moderation links, review notes and feature buttons, or no Flag buttons: rendered each time
        return None
    return "member"


def fragment_key(answer, question, context, kind: str | None) -> str | None:
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
        state = {"keys": {}, "stored": {}, "missing": {}, "left": 0, "stamp": None}
        answers, question = context.get("answers"), context.get("question")
        if settings.PAGE_CACHE_SECONDS and answers and question is not None:
            kind = _viewer_kind(context)
            for answer in answers:
                key = fragment_key(answer, question, context, kind)
                if key:
                    state["keys"][answer.pk] = key
        if state["keys"]:
            # One round trip: the `site` version, the expiry horizon and every fragment, each stored with
            # the stamp (versions) it was rendered under.
            site = page_cache.VERSION_PREFIX + page_cache.SITE
            found = cache.get_many([site, page_cache.HORIZON_KEY, *state["keys"].values()])
            if site in found and page_cache.HORIZON_KEY in found:
                stamp = page_cache._stamp([found[site]], found[page_cache.HORIZON_KEY])
            else:
                read = page_cache._read_versions([page_cache.SITE])
                stamp = None if read is None else page_cache._stamp(*read)
            if stamp is None:
                state["keys"] = {}
            else:
                state["stamp"] = stamp
                state["stored"] = {
                    key: value[1]
                    for key, value in found.items()
                    if key.startswith(PREFIX) and isinstance(value, tuple) and value[0] == stamp
                }
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
            stamp = state["stamp"]
            cache.set_many(
                {key: (stamp, html) for key, html in state["missing"].items()}, settings.PAGE_CACHE_SECONDS
            )
            state["missing"] = {}
        token = context.get("csrf_token")
        return html.replace(page_cache.csrf_placeholder(), str(token)) if token else html


def _versions() -> str | None:
    if not settings.PAGE_CACHE_SECONDS:
        return None
    read = page_cache._read_versions([page_cache.SITE])
    return None if read is None else f"{'.'.join(read[0])}|{read[1]:.0f}"


class CachedRowsNode(template.Node):
    """The rows of a list page. Moderators see who asked anonymous questions, and a member who asked one
    on the page sees "(you)": those pages are rendered every time; everyone else shares the HTML. The key
    holds every row's state (score, answers, last edit, author's reputation) besides the page path and
    forum.page_cache's `site` version."""

    def __init__(self, page, nodelist):
        self.page, self.nodelist = page, nodelist

    def render(self, context):
        page = self.page.resolve(context)
        user = context.get("user")
        items = getattr(page, "items", None) or []
        member = user is not None and user.is_authenticated
        if not settings.PAGE_CACHE_SECONDS or (
            member and (is_moderator(user) or any(q.is_anonymous and q.author_id == user.pk for q in items))
        ):
            return self.nodelist.render(context)
        request = context.get("request")
        identity = (
            "rows",
            request.get_full_path() if request is not None else "",
            member,
            page.next_cursor,
            page.is_first,
            [(q.pk, q.score, q.answer_count, q.updated_at.timestamp(), q.author.reputation) for q in items],
        )
        name = repr(identity)
        stamp, html = page_cache.read_stamped(name, [])  # one round trip: the site version and the HTML
        if html is None:
            html = self.nodelist.render(context)
            if stamp is not None:
                page_cache.store_stamped(name, stamp, html)
        return html


@register.tag
def cached_rows(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% cached_rows page %} takes the page.")
    nodelist = parser.parse(("endcached_rows",))
    parser.delete_first_token()
    return CachedRowsNode(parser.compile_filter(bits[1]), nodelist)


@register.tag
def cached_answer(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% cached_answer answer %} takes the answer.")
    nodelist = parser.parse(("endcached_answer",))
    parser.delete_first_token()
    return CachedAnswerNode(parser.compile_filter(bits[1]), nodelist)


_empty_forms: dict[tuple, str] = {}


@register.simple_tag
def form_fields(form):
    """forum/_form_fields.html for `form`. An unbound form without initial data renders the same HTML for
    every viewer for as long as the code is the same (labels, help texts, widgets, ids: no token, no
    user data), and rendering the answer form's widgets took ~2 ms of every member's question page, so that
    HTML is kept in this process. Bound forms (with values and errors) are rendered every time."""
    if form.is_bound or form.initial or any(field.initial is not None for field in form.fields.values()):
        return render_to_string("forum/_form_fields.html", {"form": form})
    key = (type(form), form.prefix, form.auto_id)
    html = _empty_forms.get(key)
    if html is None:
        html = _empty_forms[key] = render_to_string("forum/_form_fields.html", {"form": form})
    return html
