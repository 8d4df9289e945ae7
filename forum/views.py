"""Thin adapters from HTTP to services and selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from taggit.models import Tag

from community.redirects import safe_next

from . import events, moderation, notifications, page_cache, selectors, services
from .forms import AnswerForm, AskForm, EditAnswerForm, EditQuestionForm, RejectForm, apply_errors
from .models import POST_MODELS, Answer, Category, Question, Revision, Status, is_moderator
from .permissions import can_edit, moderator_required
from .ratelimit import rate_limited
from .safety_forms import AuditFilterForm
from .sanctions import ensure_can_participate

AUDIT_PAGE_SIZE = 50


def _public_list(name: str, stream: str, questions, cursor: str | None):
    """A list page's rows and its live stream position, read together and kept in the cache: the same for
    every viewer, so members' pages (rendered for each of them) share them too (forum.page_cache.remember)."""

    def read():
        live = events.page_stream(stream)  # read before the list: see forum.events.current_seqs
        return live, selectors.paginate_questions(questions(), cursor)

    return page_cache.remember(f"{name}?before={cursor}", [page_cache.LISTS], read)


def _kept_rendered(name: str, scopes: list[str], template: str, context) -> str:
    """A part of a page that is the same for every viewer, rendered from `template` with `context()` and
    kept in the cache under the versions of `scopes` (forum.page_cache.remember)."""
    html = page_cache.remember(name, scopes, lambda: render_to_string(template, context()))
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
            lambda: {"featured_answers": selectors.home_featured_answers()},
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
    tag = page_cache.remember(f"tag:{slug}", [], lambda: get_object_or_404(Tag, slug=slug))
    live, page = _public_list(
        f"tag:{slug}",
        events.tag_stream(slug),
        lambda: selectors.question_list_base().filter(tags=tag),
        request.GET.get("before"),
    )
    return render(request, "forum/tag.html", {"tag": tag, "page": page, **live})


def _public_question(request, pk: int):
    """The question for the page when it is public and the viewer is not a moderator: the same for every
    such viewer, so it comes from the cache until its page changes. None otherwise."""
    if is_moderator(request.user):
        return None
    scope = page_cache.question_scope(pk)
    return page_cache.remember(f"question:{pk}", [scope], lambda: selectors.public_question(pk))


def _cached_public_answers(question):
    """A public question's public answers, from the cache (the same for every viewer until the question's
    page changes)."""
    scope = page_cache.question_scope(question.pk)
    return page_cache.remember(f"answers:{question.pk}", [scope], lambda: selectors.public_answers(question))


def _public_answers(question, user):
    """A public question's answers: the public ones from the cache, with what is the viewer's own read fresh
    (forum.selectors.answers_for_viewer)."""
    return selectors.answers_for_viewer(question, user, _cached_public_answers(question))


@page_cache.question_page
def question_detail(request, pk, slug=None):
    live = events.page_stream(events.question_stream(pk))
    question = _public_question(request, pk)
    public = question is not None
    if not public:  # moderators, and questions only their author may see (404 for anyone else)
        question = selectors.question_for_page(pk, request.user)
    if slug != question.slug:
        return redirect(question, permanent=True)
    if public:  # the public answers from the cache, with the viewer's own votes and pending answers
        answers = _public_answers(question, request.user)
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
            **live,
        },
    )


@login_required
@rate_limited("question")
def ask(request):
    ensure_can_participate(request.user)  # a suspended member sees why before typing anything
    form = AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question = services.ask(
                author=request.user,
                title=data["title"],
                body=data["body"],
                category=data["category"],
                tags=data["tags"],
                is_anonymous=data["is_anonymous"],
                for_experts=data["for_experts"],
                accepted_terms=data["accept_terms"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("forum:ask_done", pk=question.pk)
    return render(request, "forum/ask.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def ask_done(request, pk):
    # The author's own page, through the one visibility rule (a deleted question is gone for its author).
    question = get_object_or_404(Question.objects.visible_to(request.user), pk=pk, author=request.user)
    return render(request, "forum/ask_done.html", {"question": question})


@login_required
@require_POST
@rate_limited("answer")
def answer_create(request, pk):
    question = selectors.question_for_page(pk, request.user)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            item = services.answer(
                author=request.user,
                question=question,
                body=form.cleaned_data["body"],
                accepted_terms=form.cleaned_data["accept_terms"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if item.status == Status.PENDING:
                messages.success(request, "Thank you. Your answer will appear once a moderator approves it.")
            else:
                messages.success(request, "Your answer is published.")
            return redirect(item.get_absolute_url())
    answers = selectors.answers_for_page(question, request.user)
    return render(
        request,
        "forum/question.html",
        {
            "question": question,
            "answers": answers,
            "related": selectors.related_questions(question),
            "answer_form": form,
            "stream": f"question.{question.pk}",
        },
        status=400,
    )


EDIT_AWAITS_REVIEW = "Your edit is saved and awaits review. Until a moderator approves it, everyone else sees the current version."


@login_required
def question_edit(request, pk):
    question = selectors.question_for_page(pk, request.user)
    if not can_edit(request.user, question):
        raise PermissionDenied("Only the author or a moderator can edit this question.")
    pending = selectors.pending_edit_of(question) if question.author_id == request.user.pk else None
    initial = EditQuestionForm.initial_for(question)
    if pending:  # the author comes back to their edit awaiting review: they continue from it
        initial.update(title=pending.title, body=pending.body, tags=", ".join(pending.tags))
        initial["category"] = pending.category_id or question.category_id
    form = EditQuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question = services.edit_question(
                editor=request.user,
                question=question,
                title=data["title"],
                body=data["body"],
                category=data["category"],
                tags=data["tags"],
                reason=data.get("edit_reason", ""),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if getattr(question, "pending_edit", None):
                messages.info(request, EDIT_AWAITS_REVIEW)
            elif question.status == Status.PENDING:
                messages.info(request, "Your edit is saved and will be public once a moderator reviews it.")
            else:
                messages.success(request, "Your edit is saved.")
            return redirect(question)
    context = {"form": form, "question": question, "pending_edit": pending}
    return render(request, "forum/question_edit.html", context, status=400 if form.errors else 200)


@login_required
def answer_edit(request, pk):
    answer = get_object_or_404(Answer.objects.visible_to(request.user).select_related("question"), pk=pk)
    if not can_edit(request.user, answer):
        raise PermissionDenied(
            "Only the author or a moderator can edit this answer, and only while its question is public."
        )
    pending = selectors.pending_edit_of(answer) if answer.author_id == request.user.pk else None
    form = EditAnswerForm(request.POST or None, initial={"body": pending.body if pending else answer.body})
    if request.method == "POST" and form.is_valid():
        try:
            answer = services.edit_answer(
                editor=request.user,
                answer=answer,
                body=form.cleaned_data["body"],
                reason=form.cleaned_data.get("edit_reason", ""),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if getattr(answer, "pending_edit", None):
                messages.info(request, EDIT_AWAITS_REVIEW)
            elif answer.status == Status.PENDING:
                messages.info(request, "Your edit is saved and will be public once a moderator reviews it.")
            else:
                messages.success(request, "Your edit is saved.")
            return redirect(answer.get_absolute_url())
    context = {"form": form, "answer": answer, "pending_edit": pending}
    return render(request, "forum/answer_edit.html", context, status=400 if form.errors else 200)


def question_history(request, pk):
    """The public revision history of a question: the approved versions, with the diffs between them."""
    question = selectors.question_for_page(pk, request.user)
    return render(
        request,
        "forum/history.html",
        {"post": question, "question": question, "versions": moderation.public_history(question)},
    )


def answer_history(request, pk):
    answer = get_object_or_404(Answer.objects.visible_to(request.user).select_related("question"), pk=pk)
    return render(
        request,
        "forum/history.html",
        {"post": answer, "question": answer.question, "versions": moderation.public_history(answer)},
    )


# --- Moderation -------------------------------------------------------------------------------------------

MODERATED = {**POST_MODELS, "edit": Revision}  # what the queue holds: posts and proposed edits
# What a decision needs of each kind (the author to tell; a proposed edit's post and its question).
DECIDE_RELATED = {
    "question": ("author",),
    "answer": ("author", "question"),
    "edit": ("editor", "question", "answer__question"),
}


@moderator_required
def moderation_queue(request):
    live = events.page_stream(events.MODERATION_STREAM)
    kind = request.GET.get("kind", "")
    kind = kind if kind in MODERATED else ""
    categories = Category.cached_list()  # the filter's choices; no query per request
    category = next((c for c in categories if c.slug == request.GET.get("category")), None)
    items = selectors.moderation_queue(kind=kind, category=category)
    return render(
        request,
        "forum/moderation_queue.html",
        {
            "items": items,
            "kind": kind,
            "category": category,
            "categories": categories,
            "reject_form": RejectForm(),
            **live,
        },
    )


@moderator_required
@require_POST
def moderation_decide(request, kind, pk):
    model = MODERATED.get(kind)
    if model is None:
        raise Http404
    item = get_object_or_404(model.objects.select_related(*DECIDE_RELATED[kind]), pk=pk)
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            services.approve(moderator=request.user, item=item)
            message = f"Approved: {item}"
        elif decision == "reject":
            services.reject(moderator=request.user, item=item, reason=request.POST.get("reason", ""))
            message = f"Rejected: {item}"
        else:
            return render(request, "forum/_flash.html", {"error": "Choose approve or reject."}, status=400)
    except services.AlreadyDecided as exc:
        message, level = str(exc), messages.WARNING
        status = 409
    except ValidationError as error:
        message, level, status = " ".join(error.messages), messages.ERROR, 400
    else:
        level, status = messages.SUCCESS, 200
    if request.htmx:
        return render(request, "forum/_decided.html", {"message": message, "level": level}, status=status)
    messages.add_message(request, level, message)
    return redirect(safe_next(request, reverse("forum:moderation_queue")))


@moderator_required
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    page = Paginator(selectors.audit_entries(**filters), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "forum/audit_log.html",
        {"form": form, "page": page, "filtered": bool(filters)},
        status=status,
    )


# --- Static pages and operations --------------------------------------------------------------------------


def healthz(request):
    """Database and Redis reachability for load balancers; 503 when the database is down."""
    from django.conf import settings

    status = {"database": "ok", "redis": "not configured"}
    code = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        status["database"], code = "unreachable", 503
    if settings.REDIS_URL:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5).ping()
            status["redis"] = "ok"
        except Exception:
            # Live updates pause without Redis but pages keep working: degraded, not down.
            status["redis"] = "unreachable"
    if code != 200:
        status["status"] = "down"
    else:
        status["status"] = "degraded" if status["redis"] == "unreachable" else "ok"
    response = JsonResponse(status, status=code)
    response["Cache-Control"] = "no-store"
    return response
