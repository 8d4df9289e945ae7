"""The {% url %} builtin that remembers constant URLs (community/template_urls.py) renders exactly what
Django's does, follows the script prefix the site is mounted under, and still reverses variable ones."""

import pytest
from django.template import Context, Engine, Template
from django.urls import reverse, set_script_prefix

from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    return Template("{% load static %}" + source).render(Context(context))


def test_constant_urls_render_as_django_reverses_them_every_time():
    assert Engine.get_default().template_builtins[-1].tags["url"].__module__ == "community.template_urls"
    for _ in range(2):  # the second from the memory
        assert render("{% url 'forum:ask' %}") == reverse("forum:ask")
        assert render("{% url 'people:profile' 7 %}") == reverse("people:profile", args=[7])


def test_a_site_mounted_under_a_prefix_gets_prefixed_urls():
    assert render("{% url 'forum:ask' %}") == "/ask/"
    try:
        set_script_prefix("/community/")
        assert render("{% url 'forum:ask' %}") == "/community/ask/"
    finally:
        set_script_prefix("/")
    assert render("{% url 'forum:ask' %}") == "/ask/"


def test_variable_arguments_are_reversed_for_each_rendering():
    first, second = QuestionFactory(), QuestionFactory()
    source = "{% url 'forum:question' q.pk q.slug %}"
    assert render(source, q=first) == first.get_absolute_url()
    assert render(source, q=second) == second.get_absolute_url()
