"""Saved posts over HTTP. The Save button works with htmx (the button comes back pressed or not) and as a plain
form without JavaScript (redirect back to the post). Every view answers only for the member's own rows: anyone
else's saved post is a 404, whether it exists or not."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from community.redirects import safe_next
from forum.responses import refused, to_login
from forum.saving import selectors, services
from forum.saving.forms import NoteForm

BUTTON = "forum/saving/_save_button.html"
ITEM = "forum/saving/_saved_item.html"


@require_POST
def toggle(request, kind, pk):
    """Save (action=save) or remove (action=remove) one question or answer for the member."""
    back = safe_next(request, reverse("forum:saved"))
    if not request.user.is_authenticated:
        return to_login(request, back, "Log in to save questions and answers.")
    if kind not in ("question", "answer"):
        raise Http404
    post = selectors.find_post(kind, pk)
    wanted = request.POST.get("action")
    widget = {"kind": kind, "item": post or {"pk": pk}, "is_saved": False, "save_next": back}
    if wanted not in ("save", "remove"):
        return refused(request, "Choose to save or to remove.", back, 400, (BUTTON, widget))
    if wanted == "remove":
        if post is not None:
            services.unsave(member=request.user, post=post)
    else:
        try:
            services.save(member=request.user, post=post)
        except services.SaveRefused as refusal:
            return refused(request, str(refusal), back, 403, (BUTTON, widget))
    if request.htmx:
        return render(request, BUTTON, {**widget, "is_saved": wanted == "save"})
    messages.success(request, "Saved. Find it under Saved." if wanted == "save" else "Removed from Saved.")
    return redirect(back)


@login_required
def saved_list(request):
    page = selectors.saved_page(request.user, request.GET.get("before"))
    return render(request, "forum/saving/saved.html", {"page": _with_forms(page)})


def _with_forms(page, bound=None):
    """Each item with its note form (`bound`, the one sent back with an error, for its item)."""
    for item in page.items:
        item.note_form = (
            bound if bound is not None and bound.instance.pk == item.pk else NoteForm(instance=item)
        )
    return page


def _own_item(request, pk):
    item = selectors.saved_item(request.user, pk)
    if item is None:
        raise Http404("No such saved post.")
    return item


@require_POST
def note(request, pk):
    """Replace the note of one of the member's saved posts."""
    if not request.user.is_authenticated:
        return to_login(request, reverse("forum:saved"), "Log in to see your saved posts.")
    item = _own_item(request, pk)
    form = NoteForm(request.POST, instance=item)
    if not form.is_valid():  # what they typed stays in the box, with the reason
        if request.htmx:
            return render(request, ITEM, {"item": item, "form": form}, status=400)
        page = selectors.saved_page(request.user)
        if item not in page.items:  # an older one: shown first, with what they typed
            page.items = [item, *page.items]
        context = {"page": _with_forms(page, bound=form)}
        return render(request, "forum/saving/saved.html", context, status=400)
    services.set_note(item=item, note=form.cleaned_data["note"])
    if request.htmx:
        return render(request, ITEM, {"item": item, "form": NoteForm(instance=item), "note_saved": True})
    messages.success(request, "Note saved.")
    return redirect(f"{reverse('forum:saved')}#saved-{item.pk}")


@require_POST
def remove(request, pk):
    """Remove one of the member's saved posts (and its note)."""
    if not request.user.is_authenticated:
        return to_login(request, reverse("forum:saved"), "Log in to see your saved posts.")
    item = _own_item(request, pk)
    services.remove(item=item)
    if request.htmx:
        return HttpResponse('<p class="message message-success" role="status">Removed from Saved.</p>')
    messages.success(request, "Removed from Saved.")
    return redirect("forum:saved")
