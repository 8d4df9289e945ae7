"""Thin HTTP adapters for trust and safety: flags, moderator tools, sanctions, notices, appeals, crisis data.

Every write goes through forum.moderation.flags / moderation / sanctions / appeals; permission checks happen there
(and again here for pages). Moderator pages use `moderator_required`, which also demands MFA
(accounts.mfa.PowersNeedMFAMiddleware).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from community.audit.models import AuditEntry
from forum.models import Question, Sanction, post_model
from forum.moderation import actions as moderation
from forum.moderation import flags, revisions, sanctions
from forum.moderation.forms import DuplicateForm, FlagForm, ReasonForm, SanctionForm
from forum.permissions import moderator_required
from forum.safety.ratelimit import rate_limited


def _message_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def _item_or_404(kind: str, pk: int, queryset_for=None):
    model = post_model(kind)
    if model is None:
        raise Http404
    qs = model.objects.select_related("author")
    if kind == "answer":
        qs = qs.select_related("question")
    if queryset_for is not None:
        qs = qs.visible_to(queryset_for)
    return get_object_or_404(qs, pk=pk)


@login_required
@require_POST
@rate_limited("flag")
def flag(request, kind, pk):
    item = _item_or_404(kind, pk, queryset_for=request.user)
    form = FlagForm(request.POST)
    status, level = 200, "success"
    if not form.is_valid():
        text, status, level = "Choose a reason for your flag.", 400, "error"
    else:
        try:
            flags.flag(
                flagger=request.user,
                item=item,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            text, status, level = _message_of(error), 400, "error"
        else:
            text = "Thank you. Moderators will look at it, and we will tell you what they decide."
    if request.htmx:
        return render(request, "forum/_flag_result.html", {"message": text, "level": level}, status=status)
    messages.add_message(request, messages.SUCCESS if status == 200 else messages.ERROR, text)
    still_public = type(item).objects.visible_to(None).filter(pk=item.pk).exists()
    return redirect(item.get_absolute_url() if still_public else reverse("forum:home"))


@moderator_required
def flagged(request):
    return render(
        request,
        "forum/flagged.html",
        {
            "flagged": flags.flagged_items(),
            "flags_to_hide": settings.FORUM_FLAGS_TO_HIDE,
            "stream": "moderation",
        },
    )


@moderator_required
@require_POST
def flag_decide(request, kind, pk):
    item = _item_or_404(kind, pk)
    try:
        moderation.decide_flagged(
            moderator=request.user,
            item=item,
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        message, level, status = _message_of(error), 40, 400
    else:
        message, level, status = f"Decided: {item}", 25, 200
    if request.htmx:
        return render(request, "forum/_decided.html", {"message": message, "level": level}, status=status)
    messages.add_message(request, level, message)
    return redirect("forum:flagged")


def _actions_for(item) -> list[tuple[str, str, bool]]:
    actions = []
    if item.status == "approved":
        actions.append(("hide", "Hide", False))
    if item.status == "hidden":
        actions.append(("unhide", "Unhide", False))
    if item.status == "deleted":
        actions.append(("restore", "Restore", False))
    else:
        actions.append(("delete", "Delete", True))
    if isinstance(item, Question):
        actions.append(("unlock", "Unlock", False) if item.is_locked else ("lock", "Lock", False))
        if item.duplicate_of_id:
            actions.append(("reopen", "Reopen", False))
        else:
            actions.append(("close", "Close as duplicate", False))
    return actions


@moderator_required
def moderate_item(request, kind, pk):
    item = _item_or_404(kind, pk)
    return render(
        request,
        "forum/moderate_item.html",
        {
            "item": item,
            "kind": kind,
            "question": item.thread,
            "actions": _actions_for(item),
            "flags": flags.flags_for(item),
            "history": revisions.revision_history(item),
        },
    )


ITEM_ACTIONS = {
    "hide": moderation.hide,
    "unhide": moderation.unhide,
    "delete": moderation.soft_delete,
    "restore": moderation.restore,
}


QUESTION_ACTIONS = {"lock": moderation.lock, "unlock": moderation.unlock, "reopen": moderation.reopen}


@moderator_required
@require_POST
def moderate_action(request, kind, pk, action):
    item = _item_or_404(kind, pk)
    form = DuplicateForm(request.POST) if action == "close" else ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(
                [e for errors in form.errors.values() for e in errors]
                or ["Give a reason; the author sees it."]
            )
        reason = form.cleaned_data["reason"]
        if action in ITEM_ACTIONS:
            ITEM_ACTIONS[action](moderator=request.user, item=item, reason=reason)
        elif action in QUESTION_ACTIONS and kind == "question":
            QUESTION_ACTIONS[action](moderator=request.user, question=item, reason=reason)
        elif action == "close" and kind == "question":
            original = Question.objects.filter(pk=form.cleaned_data["original"]).first()
            if original is None:
                raise ValidationError("No question with that number.")
            moderation.close_as_duplicate(
                moderator=request.user, question=item, original=original, reason=reason
            )
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, _message_of(error))
        return redirect("forum:moderate_item", kind=kind, pk=pk)
    messages.success(request, f"Done: {action} “{item}”.")
    return redirect("forum:moderate_item", kind=kind, pk=pk)


@moderator_required
def member_moderation(request, pk, form=None):
    member = get_object_or_404(get_user_model(), pk=pk)
    return render(
        request,
        "forum/member_moderation.html",
        {
            "member": member,
            "restriction": sanctions.restriction_for(member),
            "sanctions": Sanction.objects.filter(member=member),
            "entries": AuditEntry.objects.filter(subject=member).select_related("actor")[:100],
            "form": form or SanctionForm(),
            "can_sanction": member.pk != request.user.pk and not member.is_moderator,
        },
        status=400 if form is not None else 200,
    )


@moderator_required
@require_POST
def member_sanction(request, pk):
    member = get_object_or_404(get_user_model(), pk=pk)
    form = SanctionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            sanctions.sanction(
                moderator=request.user,
                member=member,
                kind=data["kind"],
                reason=data["reason"],
                days=data["days"],
                hide_content=data["hide_content"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request, f"{Sanction.Kind(data['kind']).label} recorded for {member.public_name}."
            )
            return redirect("forum:member_moderation", pk=member.pk)
    return member_moderation(request, pk=member.pk, form=form)


@moderator_required
@require_POST
def sanction_lift(request, pk):
    row = get_object_or_404(Sanction.objects.select_related("member"), pk=pk)
    try:
        sanctions.lift(moderator=request.user, sanction_row=row, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, _message_of(error))
    else:
        messages.success(request, "Lifted.")
    return redirect("forum:member_moderation", pk=row.member_id)
