"""`{% url %}` that remembers the URLs it reverses from constants alone.

A page's header, navigation and footer reverse the same fixed names on every request ({% url 'forum:ask' %}),
and Django's reverse() is not cheap: about 20 of them were ~0.5 ms of a member's page. This tag is
Django's, registered as a template builtin (settings.TEMPLATES) so it replaces the default one everywhere;
when the view name and every argument are quoted constants it keeps the result per process, keyed by
everything else reverse() depends on (the URLconf, the script prefix, the current app, autoescaping). Any
variable argument, or `as name`, is reversed every time, exactly as before.
"""

from django import template
from django.template.base import FilterExpression
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import get_script_prefix, get_urlconf

register = template.Library()
MAX_REMEMBERED = 1000
_remembered: dict = {}


def _constant(expression) -> bool:
    return (
        isinstance(expression, FilterExpression)
        and isinstance(expression.var, str)
        and not expression.filters
    )


def _current_app(context):
    request = getattr(context, "request", None)
    current_app = getattr(request, "current_app", None)
    if current_app is None:
        current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
    return current_app


class RememberingURLNode(URLNode):
    def __init__(self, view_name, args, kwargs, asvar):
        super().__init__(view_name, args, kwargs, asvar)
        constant = asvar is None and all(map(_constant, [view_name, *args, *kwargs.values()]))
        self.constant_key = (
            (view_name.var, tuple(a.var for a in args), tuple(sorted((k, v.var) for k, v in kwargs.items())))
            if constant
            else None
        )

    def render(self, context):
        if self.constant_key is None:
            return super().render(context)
        key = (
            get_urlconf(),
            get_script_prefix(),
            _current_app(context),
            context.autoescape,
            self.constant_key,
        )
        url = _remembered.get(key)
        if url is None:
            url = super().render(context)
            if len(_remembered) < MAX_REMEMBERED:
                _remembered[key] = url
        return url


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return RememberingURLNode(node.view_name, node.args, node.kwargs, node.asvar)
