"""Relative times that read like speech ("3 minutes ago") with the exact time on hover.

`{% load when %}`, then `{% when question.created_at %}` renders
`<time datetime="2026-11-25T08:31:00+00:00" title="25 November 2026, 08:31 UTC">3 minutes ago</time>`,
and `{{ question.created_at|ago }}` renders just `3 minutes ago`.
"""

from datetime import timedelta

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.timesince import timesince

register = template.Library()

EXACT_FORMAT = "j F Y, H:i T"


@register.filter
def ago(value) -> str:
    """'just now', '3 minutes ago', '2 days ago': one unit, because a second one adds noise, not trust."""
    if not value:
        return ""
    if timezone.now() - value < timedelta(minutes=1):
        return "just now"
    return f"{timesince(value, depth=1)} ago"


@register.filter
def exact_time(value) -> str:
    if not value:
        return ""
    return date_format(timezone.localtime(value), EXACT_FORMAT)


@register.simple_tag
def when(value, css_class=""):
    if not value:
        return ""
    return format_html(
        '<time datetime="{}" title="{}"{}>{}</time>',
        value.isoformat(),
        exact_time(value),
        format_html(' class="{}"', css_class) if css_class else "",
        ago(value),
    )
