"""The similar-questions fragment the ask form fetches (htmx) while a title is typed."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from forum.search.query import MAX_QUERY_LENGTH
from forum.similar import selectors


@login_required
@require_GET
def similar_questions(request):
    """Up to five published questions like `?title=`; an empty fragment for a short or empty title."""
    title = request.GET.get("title", "")[:MAX_QUERY_LENGTH]
    similar = selectors.similar_questions(title)
    response = render(request, "forum/similar/_similar.html", {"similar": similar})
    response["Cache-Control"] = "private, no-store"  # the fragment echoes nothing, but it is a member's page
    return response
