"""Search, the "Unanswered" list and the tag index: thin adapters from HTTP to forum.search.selectors."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from community import page_cache
from forum.search import selectors
from forum.search.forms import SearchForm
from forum.selectors import paginate_questions


@require_GET
def search(request):
    """Results for the words and filters in the query string. Anything the form refuses is said next to
    the field, with everything typed kept, and shows no results."""
    form = SearchForm(request.GET)
    results, query = selectors.Results(), ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        results = selectors.search(
            text=query,
            filters=form.filters(),
            sort=form.cleaned_data["sort"] or selectors.RELEVANCE,
            cursor=request.GET.get("after"),
        )
    searched = bool(query) or (form.is_valid() and form.filters().any)
    return render(
        request,
        "forum/search/search.html",
        {"form": form, "query": query, "results": results, "searched": searched},
    )


@require_GET
@page_cache.list_page
def unanswered(request):
    cursor = request.GET.get("before")
    page = page_cache.remember(
        f"unanswered?before={cursor}",
        [page_cache.LISTS],
        lambda: paginate_questions(selectors.unanswered_questions(), cursor),
    )
    return render(request, "forum/search/unanswered.html", {"page": page})


@require_GET
@page_cache.list_page
def tags_index(request):
    return render(request, "forum/search/tags.html", {"tags": selectors.tags_with_counts()})
