"""The moderators' review queue (pending posts and proposed edits) and the audit log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from community.live import events
from community.redirects import safe_next
from forum.models import POST_MODELS, Category, Revision
from forum.moderation import review
from forum.moderation import selectors as moderation_selectors
from forum.moderation.forms import AuditFilterForm, RejectForm
from forum.permissions import moderator_required

AUDIT_PAGE_SIZE = 50


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
    items = moderation_selectors.moderation_queue(kind=kind, category=category)
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
            review.approve(moderator=request.user, item=item)
            message = f"Approved: {item}"
        elif decision == "reject":
            review.reject(moderator=request.user, item=item, reason=request.POST.get("reason", ""))
            message = f"Rejected: {item}"
        else:
            return render(request, "forum/_flash.html", {"error": "Choose approve or reject."}, status=400)
    except review.AlreadyDecided as exc:
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
    page = Paginator(moderation_selectors.audit_entries(**filters), AUDIT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "forum/audit_log.html",
        {"form": form, "page": page, "filtered": bool(filters)},
        status=status,
    )
