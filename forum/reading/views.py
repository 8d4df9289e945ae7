"""Thin adapters from HTTP to services and selectors."""

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from taggit.models import Tag

from community import page_cache
from community.live import events
from community.notifications import services as notifications
from forum import selectors
from forum.curation import selectors as curation_selectors
from forum.models import Category, Status, TaggedQuestion, is_moderator
from forum.moderation.forms import RejectForm
from forum.posting.forms import AnswerForm
from forum.reading import scores as page_scores
from forum.saving.selectors import marks_on_question


def _public_list(name: str, stream: str, questions, cursor: str | None):
    """A list page's rows and its live stream position, read together and kept in the cache: the same for
    every viewer, so members' pages (rendered for each of them) share them too (community.page_cache.remember)."""

    def read():
        live = events.page_stream(stream)  # read before the list: see community.live.events.current_seqs
        return live, selectors.paginate_questions(questions(), cursor)

    return page_cache.remember(f"{name}?before={cursor}", [page_cache.LISTS], read)


def _kept_rendered(name: str, scopes: list[str], template: str, context, read=None) -> str:
    """A part of a page that is the same for every viewer, rendered from `template` with `context()` and
    kept in the cache under the versions of `scopes` (community.page_cache.remember; `read`: its entry of
    page_cache.read_parts)."""
    html = page_cache.remember(name, scopes, lambda: render_to_string(template, context()), read)
    return mark_safe(html)  # our own template's output, escaped when it was rendered


@page_cache.list_page
def home(request):
    live, page = _public_list(
        "home", events.HOME_STREAM, selectors.question_list_base, request.GET.get("before")
    )
    featured = ""
    if page.is_first:  # the same HTML for everyone (unpickling and rendering it cost ~1 ms)
        featured = _kept_rendered(
            "featured-html",
            [page_cache.LISTS],
            "forum/_featured_answers.html",
            lambda: {"featured_answers": curation_selectors.home_featured_answers()},
        )
    return render(
        request,
        "forum/home.html",
        {
            "page": page,
            "own_pending": selectors.own_pending_questions(request.user) if page.is_first else [],
            "featured_html": featured,
            "categories": Category.objects.all(),
            **live,
        },
    )


@page_cache.list_page
def category_detail(request, slug):
    category = next((c for c in Category.cached_list() if c.slug == slug), None)
    if category is None:
        raise Http404("No such category.")
    live, page = _public_list(
        f"category:{slug}",
        events.category_stream(slug),
        lambda: selectors.question_list_base().filter(category=category),
        request.GET.get("before"),
    )
    return render(
        request,
        "forum/category.html",
        {
            "category": category,
            "page": page,
            "categories": Category.objects.all(),
            **live,
        },
    )


@page_cache.list_page
def tag_detail(request, slug):
    # A tag only non-public questions carry is not shown (its name would tell what someone asked): 404.
    public = TaggedQuestion.objects.filter(tag=OuterRef("pk"), content_object__status=Status.APPROVED)
    tag = page_cache.remember(
        f"tag:{slug}",
        [page_cache.LISTS],
        lambda: get_object_or_404(Tag.objects.filter(Exists(public)), slug=slug),
    )
    live, page = _public_list(
        f"tag:{slug}",
        events.tag_stream(slug),
        lambda: selectors.question_list_base().filter(tags=tag),
        request.GET.get("before"),
    )
    return render(request, "forum/tag.html", {"tag": tag, "page": page, **live})


def _shared_parts(request, pk: int) -> dict:
    """The parts of a public question's page that are the same for every viewer but moderators (the
    question, its public answers, their numbers, "More Q&A"), read from the cache in one round trip
    (community.page_cache.read_parts); {} for moderators."""
    if is_moderator(request.user):
        return {}
    content, numbers = [page_cache.question_scope(pk)], [page_cache.question_scores_scope(pk)]
    names = {"question": content, "answers": content, "scores": numbers, "related-html": content}
    read = page_cache.read_parts({f"{name}:{pk}": scopes for name, scopes in names.items()})
    return {name: read.get(f"{name}:{pk}") for name in names}


def _public_question(request, pk: int, parts: dict):
    """The question for the page when it is public and the viewer is not a moderator: the same for every
    such viewer, so it comes from the cache until its page changes. None otherwise."""
    if is_moderator(request.user):
        return None
    scope = page_cache.question_scope(pk)
    read = parts.get("question")
    return page_cache.remember(f"question:{pk}", [scope], lambda: selectors.public_question(pk), read)


def _cached_public_answers(question, parts: dict):
    """A public question's public answers, from the cache (the same for every viewer until the question's
    page changes), with their current numbers (forum.reading.scores: votes change only those)."""
    scope = page_cache.question_scope(question.pk)
    answers = page_cache.remember(
        f"answers:{question.pk}", [scope], lambda: selectors.public_answers(question), parts.get("answers")
    )
    return page_scores.patch(question, answers, page_scores.current(question.pk, parts.get("scores")))


@page_cache.question_page
def question_detail(request, pk, slug=None):
    live = events.page_stream(events.question_stream(pk))
    parts = _shared_parts(request, pk)
    question = _public_question(request, pk, parts)
    public = question is not None
    if not public:  # moderators, and questions only their author may see (404 for anyone else)
        question = selectors.question_for_page(pk, request.user)
    if slug != question.slug:
        return redirect(question, permanent=True)
    if public:  # the public answers from the cache, with the current numbers and the viewer's own parts
        answers = selectors.answers_for_viewer(
            question, request.user, _cached_public_answers(question, parts)
        )
    else:
        answers = selectors.answers_for_page(question, request.user)
    featured_answer = next((a for a in answers if a.is_featured and a.is_public), None)
    pending_edits = None
    if request.user.is_authenticated:  # the author's own edits awaiting review
        own_answer_ids = [a.pk for a in answers if a.author_id == request.user.pk]
        if question.author_id == request.user.pk or own_answer_ids:
            pending_edits = selectors.own_pending_edits(request.user, question, own_answer_ids)
    can_answer = question.status == Status.APPROVED
    notifications.mark_read_on_opening(user=request.user, question=question)
    related_html = ""
    if question.is_public:  # the same for every viewer: kept rendered until the question's page changes
        related_html = _kept_rendered(
            f"related-html:{pk}",
            [page_cache.question_scope(question.pk)],
            "forum/_related.html",
            lambda: {"related": selectors.related_questions(question)},
            parts.get("related-html") if public else None,
        )
    return render(
        request,
        "forum/question.html",
        {
            "question": question,
            "answers": answers,
            "featured_answer": featured_answer,
            "related_html": related_html,
            "answer_form": AnswerForm() if can_answer else None,
            "reject_form": RejectForm(),
            "pending_edits": pending_edits,
            # The viewer's Save buttons: read with their votes on a public page (viewer_state), else here.
            "saved_marks": getattr(question, "saved_marks", None)
            or marks_on_question(request.user, question.pk),
            **live,
        },
    )
