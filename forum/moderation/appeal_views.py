"""Notices and appeals over HTTP: a member reads the moderation actions that concern them and appeals one; moderators answer and close appeals."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from community.audit.models import AuditEntry
from forum.models import Appeal
from forum.moderation import appeals, sanctions
from forum.moderation.forms import AppealForm
from forum.permissions import moderator_required

# What a member reads about an action concerning them (moderators read AuditEntry.Action's labels).
NOTICE_LABELS = {
    AuditEntry.Action.REJECT: "Not approved",
    AuditEntry.Action.HIDE: "Hidden by a moderator",
    AuditEntry.Action.AUTO_HIDE: "Hidden after members flagged it",
    AuditEntry.Action.UNHIDE: "Visible again",
    AuditEntry.Action.KEEP_HIDDEN: "Kept hidden after review",
    AuditEntry.Action.DISMISS_FLAGS: "Flags reviewed, no action",
    AuditEntry.Action.DELETE: "Removed",
    AuditEntry.Action.RESTORE: "Restored",
    AuditEntry.Action.LOCK: "Question locked",
    AuditEntry.Action.UNLOCK: "Question unlocked",
    AuditEntry.Action.CLOSE_DUPLICATE: "Closed as a duplicate",
    AuditEntry.Action.REOPEN: "Reopened",
    AuditEntry.Action.EDIT: "Edited by a moderator",
    AuditEntry.Action.APPROVE_EDIT: "Your edit was approved",
    AuditEntry.Action.REJECT_EDIT: "Your edit was not approved",
    AuditEntry.Action.WARN: "Warning",
    AuditEntry.Action.SUSPEND: "Suspension",
    AuditEntry.Action.BAN: "Ban",
    AuditEntry.Action.LIFT: "Suspension or ban lifted",
    AuditEntry.Action.CLOSE_APPEAL: "Appeal answered",
}


NOT_APPEALABLE = {
    AuditEntry.Action.UNHIDE,
    AuditEntry.Action.RESTORE,
    AuditEntry.Action.UNLOCK,
    AuditEntry.Action.REOPEN,
    AuditEntry.Action.LIFT,
    AuditEntry.Action.CLOSE_APPEAL,
    AuditEntry.Action.DISMISS_FLAGS,
}


@login_required
def notices(request):
    entries = list(appeals.notices_for(request.user)[:200])
    open_by_entry = {
        a.entry_id: a for a in Appeal.objects.filter(member=request.user, state=Appeal.State.OPEN)
    }
    for entry in entries:
        entry.label = NOTICE_LABELS.get(entry.action, entry.get_action_display())
        entry.appealable = entry.action not in NOT_APPEALABLE
        entry.open_appeal = open_by_entry.get(entry.pk)
    return render(
        request,
        "forum/notices.html",
        {
            "notices": entries,
            "appeals": Appeal.objects.filter(member=request.user)[:50],
            "restriction": sanctions.restriction_for(request.user),
        },
    )


@login_required
def appeal_new(request, entry_pk):
    entry = get_object_or_404(AuditEntry, pk=entry_pk, subject=request.user)
    entry.label = NOTICE_LABELS.get(entry.action, entry.action)
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = appeals.open_appeal(member=request.user, entry=entry, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Your appeal was sent to the moderators.")
            return redirect(appeal)
    return render(
        request, "forum/appeal_new.html", {"entry": entry, "form": form}, status=400 if form.errors else 200
    )


@login_required
def appeal_detail(request, pk):
    appeal = get_object_or_404(Appeal.objects.select_related("member", "entry"), pk=pk)
    if not appeals.can_view(request.user, appeal):
        raise Http404  # someone else's appeal is indistinguishable from none
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        body = form.cleaned_data["body"]
        try:
            if request.POST.get("action") == "close":
                appeals.close(moderator=request.user, appeal=appeal, body=body)
            else:
                appeals.reply(author=request.user, appeal=appeal, body=body)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            return redirect(appeal)
    return render(
        request,
        "forum/appeal.html",
        {
            "appeal": appeal,
            "entry_label": NOTICE_LABELS.get(appeal.entry.action, "") if appeal.entry else "",
            "messages_list": appeal.messages.all(),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@moderator_required
def appeals_list(request):
    return render(request, "forum/appeals.html", {"appeals": appeals.open_appeals()})
