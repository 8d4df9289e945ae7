"""Which pages search engines may index, and each page's canonical address.

An allow-list: a page is indexable only when its URL name is listed here and what it shows is public.
Everything else (asking, notifications, notices, moderation, appeals, account settings, search results,
edit histories, error pages, pages added later and not listed) says `noindex`, so a new personal page is
never indexed by default.
"""

from django.utils.http import urlencode

from community.site import absolute_url

# URL names of pages that show only public content to a visitor.
INDEXABLE_PAGES = frozenset(
    {
        "forum:home",
        "forum:category",
        "forum:tag",
        "forum:question",
        "forum:expert_qa",
        "forum:terms",
        "forum:privacy",
        "forum:comment_policy",
        "people:experts",
        "accounts:badges",
        "accounts:badge",
    }
)
# Query parameters that name a different page of the same list; anything else is dropped from the
# canonical address (tracking parameters, a visitor's own filters).
CANONICAL_QUERY_PARAMS = ("before",)


def url_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else ""


# Pages about one object: indexable only when the page really shows it (an error page raised inside the
# view, such as a 404 for an unknown category, has the same URL name but not the object).
OBJECT_OF_PAGE = {"forum:category": "category", "forum:tag": "tag", "forum:question": "question"}


def is_indexable(request, context) -> bool:
    """May search engines index this page? Public pages only; a question page only while the question is
    approved (its author sees their pending question, moderators hidden ones: noindex); a tag's page only
    when it lists public questions; a member's profile only for verified experts (other members' profiles
    are personal); never an error page."""
    if request is None or getattr(request, "method", "GET") != "GET":
        return False
    if "exception" in context or "request_path" in context:  # Django's error pages (404, 403)
        return False
    name = url_name(request)
    if name in OBJECT_OF_PAGE and context.get(OBJECT_OF_PAGE[name]) is None:
        return False
    if name == "forum:question":
        return bool(context["question"].is_public)
    if name == "forum:tag":  # a tag used only on questions that are not public: its name may be private
        page = context.get("page")
        return bool(page is not None and page.items)
    if name == "people:profile":
        member = context.get("member")
        return bool(member is not None and not member.is_deleted and member.active_expert)
    return name in INDEXABLE_PAGES


def canonical_url(request) -> str:
    """The page's one address on SITE_URL: its path plus the list-paging parameter, nothing else."""
    if request is None:
        return absolute_url("/")
    kept = [(key, request.GET[key]) for key in CANONICAL_QUERY_PARAMS if request.GET.get(key)]
    query = urlencode(kept)
    return absolute_url(request.path + (f"?{query}" if query else ""))
