"""The Save button on a question page (forum.saving): `{% save_button "answer" answer %}`.

For the viewer only: what they saved is read once per page (forum.saving.selectors.marks_for_page). In an
answer shared by every viewer (forum/templatetags/fragment_cache.py) the button is rendered with placeholders
instead, filled for each member by community.page_cache.fill_viewer_parts and dropped for visitors."""

from django import template
from django.template.loader import render_to_string

from forum.saving.selectors import marks_for_page, may_offer

register = template.Library()


@register.simple_tag(takes_context=True)
def save_button(context, kind, item):
    if context.get("live"):
        return ""  # a live event's copy is everyone's: no button (the page has it after a reload)
    shared = bool(context.get("shared"))
    if not shared and not may_offer(context.get("user"), item):
        return ""
    values = {
        "kind": kind,
        "item": item,
        "shared": shared,
        "viewer_slot": context.get("viewer_slot"),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
    if not shared:
        values["is_saved"] = marks_for_page(context, item.thread_id).has(kind, item.pk)
    return render_to_string("forum/saving/_save_button.html", values)
