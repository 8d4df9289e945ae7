"""Asking, answering and editing over HTTP: thin adapters to forum.posting.services; the public history of a post."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from community.forms import apply_errors
from forum import selectors
from forum.models import Answer, Question, Status
from forum.moderation import revisions
from forum.moderation.sanctions import ensure_can_participate
from forum.permissions import can_edit
from forum.posting import services
from forum.posting.forms import AnswerForm, AskForm, EditAnswerForm, EditQuestionForm
from forum.safety.ratelimit import rate_limited


@login_required
@rate_limited("question")
def ask(request):
    ensure_can_participate(request.user)  # a suspended member sees why before typing anything
    form = AskForm(request.POST or None, initial=AskForm.initial_from(request.GET))
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
                addressed_to_expert=data["addressed_to_expert"],
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
            # extra_tags names the browser draft this answer came from: the page clears it (static/js/drafts.js).
            sent = f"answer-{question.pk}"
            if item.status == Status.PENDING:
                messages.success(
                    request,
                    "Thank you. Your answer will appear once a moderator approves it.",
                    extra_tags=sent,
                )
            else:
                messages.success(request, "Your answer is published.", extra_tags=sent)
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
        {"post": question, "question": question, "versions": revisions.public_history(question)},
    )


def answer_history(request, pk):
    answer = get_object_or_404(Answer.objects.visible_to(request.user).select_related("question"), pk=pk)
    return render(
        request,
        "forum/history.html",
        {"post": answer, "question": answer.question, "versions": revisions.public_history(answer)},
    )
