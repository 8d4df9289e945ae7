"""Fragments of members' pages rendered once and reused for every viewer who would see the same HTML.

`{% cached_rows page %}…{% endcached_rows %}`: the rows of a question list (home, category, tag).
`{% cached_answer answer %}…{% endcached_answer %}`: each answer of a question page.
`{% form_fields form %}`: an empty form's fields (the question page's answer form), rendered once per process.

One copy of each answer serves every viewer of the question page: visitors (inside the anonymous page
cache, community.page_cache) and members alike. It is rendered once as nobody in particular sees it, with the
viewer's own parts marked by placeholders (their vote pressed, the Flag form, the asker's Accept form, the
CSRF token) that `community.page_cache.fill_viewer_parts` fills for each viewer on the way out. It is kept with
community.page_cache's one key scheme: named by what its row can change (score, last edit, marks, the author's
reputation) and stored under the stamp of the `site` version and the expert-expiry horizon (names, photos,
badges), read for the whole list in one cache round trip. So a vote or a new answer re-renders only the
answer that changed; the rest of the list is read back. What is the viewer's own beyond placeholders is
rendered for them: their own answers (Edit link, no vote buttons), answers not approved (their pending
ones), and everything for moderators and members who may feature answers.
"""

from django import template
from django.conf import settings
from django.contrib.auth.context_processors import PermWrapper
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string

from community import page_cache
from forum.curation.services import can_feature
from forum.models import Status, is_moderator
from forum.moderation.sanctions import shown_restriction
from forum.saving.selectors import marks_for_page

register = template.Library()


def _fragment_name(answer, question, request) -> str:
    """What an answer's shared HTML shows that its row can change (the rest: community.page_cache's `site`
    version and expiry horizon, the stamp it is stored under)."""
    path = request.path if request is not None else ""
    accepted = question.accepted_answer_id == answer.pk
    author = f"{answer.author_id}:{answer.author.reputation}:{question.author_id}:{question.is_anonymous}"
    state = f"{answer.score}:{answer.updated_at.timestamp()}:{answer.is_featured}:{accepted}"
    return f"answer:{path}:{answer.pk}:{state}:{author}"


class _SharedAnswers:
    """One rendering of an answer list: which answers come from the shared copies (every approved answer
    the viewer did not write, unless the viewer moderates or may feature answers), those copies read in one
    cache round trip, the missing ones rendered and stored together with one more."""

    def __init__(self, context):
        self.names, self.stored, self.missing, self.stamp = {}, {}, {}, None
        answers, question = context.get("answers"), context.get("question")
        user = context.get("user")
        member = user is not None and user.is_authenticated
        if not settings.PAGE_CACHE_SECONDS or context.get("live") or not answers or question is None:
            return
        if member and (is_moderator(user) or can_feature(user)):
            return  # moderation links, review notes and feature buttons: rendered for them
        request = context.get("request")
        for answer in answers:
            if answer.status == Status.APPROVED and not (member and answer.author_id == user.pk):
                self.names[answer.pk] = _fragment_name(answer, question, request)
        self.stamp, self.stored = page_cache.read_stamped_many(self.names.values(), [])
        if self.stamp is None:
            self.names = {}  # the cache is unreachable: render as usual
        self.left = len(self.names)
        self.votes = {a.pk: a.my_vote for a in answers if getattr(a, "my_vote", None)}
        self.flags = member and shown_restriction(user) is None
        self.accept = member and user.pk == question.author_id
        # The answers the viewer saved: their Save buttons pressed (visitors get no Save button).
        self.saved = marks_for_page(context, question.pk).answers if member else None
        token = context.get("csrf_token")
        self.csrf_token = None if not token or str(token) == page_cache.csrf_placeholder() else str(token)

    def render(self, context, answer, nodelist) -> str | None:
        name = self.names.get(getattr(answer, "pk", None))
        if name is None:
            return None
        html = self.stored.get(name)
        if html is None:
            shared = {
                "shared": True,
                "viewer_slot": page_cache.viewer_slot(),
                "user": AnonymousUser(),
                "perms": PermWrapper(AnonymousUser()),
                "is_moderator": False,
                "csrf_token": page_cache.csrf_placeholder(),
            }
            with context.push(**shared):
                html = self.stored[name] = self.missing[name] = nodelist.render(context)
        self.left -= 1
        if self.left == 0 and self.missing:
            page_cache.store_stamped_many(self.stamp, self.missing)
            self.missing = {}
        return page_cache.fill_viewer_parts(
            html,
            votes=self.votes,
            flags=self.flags,
            accept=self.accept,
            csrf_token=self.csrf_token,
            saved=self.saved,
        )


class CachedAnswerNode(template.Node):
    def __init__(self, answer, nodelist):
        self.answer, self.nodelist = answer, nodelist

    def render(self, context):
        shared = context.render_context.get(self)
        if shared is None:
            shared = context.render_context[self] = _SharedAnswers(context)
        html = shared.render(context, self.answer.resolve(context), self.nodelist)
        return self.nodelist.render(context) if html is None else html


class CachedRowsNode(template.Node):
    """The rows of a list page. Moderators see who asked anonymous questions, and a member who asked one
    on the page sees "(you)": those pages are rendered every time; everyone else shares the HTML. The key
    holds every row's state (score, answers, last edit, author's reputation) besides the page path and
    community.page_cache's `site` version."""

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
