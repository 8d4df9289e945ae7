"""Whole pages for anonymous visitors, from the cache (Redis in production), with generation keys.

What is cached: the home, category, tag and question pages exactly as an anonymous visitor sees them.
Members never get a cached page: theirs carry personal bits (their votes, counts, forms). Parts that are the
same for everyone are kept under the same scheme (`remember`, `read_stamped_many`): a question page's answers
are one shared copy each, with the viewer's own parts as placeholders that `fill_viewer_parts` fills on the
way out (forum/templatetags/fragment_cache.py), so a member's page is the shared copy plus their own parts.

Invalidation without deleting keys: a page's key contains the current values of version tokens kept in
the cache, `site` plus `lists` for list pages, `site` plus `q.<id>` for a question's page. A change that
affects a page replaces its tokens (`question_changed`, `lists_changed`, `everything_changed`, called by
forum.live.announce for every public change and by the few services that change public pages without a live
event), so the next visitor's request builds a new key and the old page is never read again; it simply
expires. Tokens are random, never counters, so a token evicted from the cache cannot come back to a value
an old page was stored under. A token is replaced at once, so the writer's next request (and a test inside
a transaction) sees the change, and again after the commit, so a page rendered from the data of just
before the commit is not served afterwards.

Under writes: one request at a time rebuilds a page whose version changed (a short `cache.add` lock);
meanwhile other visitors get the page's previous copy, but only when the change took nothing away
(`question_changed(keep_previous=True)`: a vote, a newly public item). Anything else also replaces the
scopes' floor tokens, and a previous copy stored under other floors is never served again.

CSRF: the cached HTML holds a placeholder where a token goes (the hx-headers of <body>, the forms anonymous
visitors see, such as the vote buttons that lead to the login page). Every response, cached or fresh, gets
the visitor's own token written in (and the CSRF cookie with it), so no token is ever shared between
visitors and every form keeps working without JavaScript. Pages are not stored when the visitor has
pending messages ("You have signed out."), nor when the view set a cookie of its own.

Conditional GET: these responses carry a weak ETag built from the page's key and the visitor's CSRF
cookie, and answer a matching If-None-Match with 304 Not Modified without reading the page.

Time changes pages too: an expert's badge goes when their verification expires, with no event. So no
page is kept past the next registered expiry (`register_expiry_source`, `_expiry_horizon`).

Staleness that remains, bounded by PAGE_CACHE_SECONDS: numbers of *other* content shown beside the page's
own (a member's reputation beside their name, answer counts in a question page's "More Q&A").
"""

import functools
import hashlib
import re
import secrets
import time

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.crypto import salted_hmac

from community.metrics import cache as cache_metrics

SITE = "site"
LISTS = "lists"
VERSION_PREFIX = "pagever:"
PAGE_PREFIX = "page:"
PART_PREFIX = "pagepart:"
FLOOR_PREFIX = "pagefloor:"  # replaced when content is taken away: older copies are never served again
LATEST_PREFIX = "pagelatest:"  # the last copy of a page, served while another request rebuilds it
LOCK_PREFIX = "pagelock:"
REBUILD_LOCK_SECONDS = 10  # one rebuild of a page at a time; a crashed rebuild holds it no longer
HORIZON_KEY = "pagever:expiry"  # when the next expert verification expires (a Unix time)
VERSION_SECONDS = (
    7 * 24 * 3600
)  # longer than any page lives; an expired token is replaced by a new random one
LIST_QUERY_PARAMS = frozenset({"before"})  # anything else in the query string is rendered, not cached


def question_scope(question_id: int) -> str:
    return f"q.{question_id}"


def question_scores_scope(question_id: int) -> str:
    """The numbers votes change on a question's page (forum.reading.scores); its page's key holds both."""
    return f"qs.{question_id}"


# --- Marking pages stale (services, via forum.live.announce) -----------------------------------------------------------


def _new_versions(scopes, keep_previous: bool) -> None:
    tokens = {VERSION_PREFIX + scope: secrets.token_hex(6) for scope in scopes}
    if not keep_previous:  # the previous copies may show what must not be seen any more
        tokens.update({FLOOR_PREFIX + scope: secrets.token_hex(6) for scope in scopes})
    cache.set_many(tokens, VERSION_SECONDS)


def _stale(*scopes: str, keep_previous: bool = False) -> None:
    if not settings.PAGE_CACHE_SECONDS:
        return
    _new_versions(scopes, keep_previous)
    transaction.on_commit(lambda: _new_versions(scopes, keep_previous))


def question_changed(question_id: int, *, lists: bool = False, keep_previous: bool = False) -> None:
    """The question's page changed (its answers, scores, marks); with lists=True also the lists that show
    it (its title, score or answer count, the home page's featured answers). keep_previous=True when the
    change only adds or counts (a vote, a new public answer): while one request rebuilds the page, other
    visitors may be served the copy from before it. Anything that takes content away leaves it False."""
    scopes = [question_scope(question_id), question_scores_scope(question_id)]
    _stale(*scopes, *([LISTS] if lists else []), keep_previous=keep_previous)


def scores_changed(question_id: int, *, lists: bool = False) -> None:
    """Votes changed scores (and reputations) on the question's page, nothing else: its page is built
    again from the cached question and answers with the new numbers (forum.reading.scores); with lists=True
    the lists that show the question's score too. Nothing was taken away: readers may get the previous
    copy while one request rebuilds the page."""
    _stale(question_scores_scope(question_id), *([LISTS] if lists else []), keep_previous=True)


def lists_changed() -> None:
    _stale(LISTS)


def everything_changed() -> None:
    """Something every page may show changed: a question left public view (lists, "More Q&A"), a
    member's name or expert status, the categories."""
    if settings.PAGE_CACHE_SECONDS:
        cache.delete(HORIZON_KEY)  # a verification may have been granted or revoked
    _stale(SITE)


# --- Public data for members' pages ----------------------------------------------------------------------------


def _stamp(versions: list[str], horizon: float) -> str:
    return f"{'.'.join(versions)}|{horizon:.0f}"


def _part_key(name: str) -> str:
    return PART_PREFIX + hashlib.blake2b(name.encode(), digest_size=16).hexdigest()


def read_stamped_many(names, scopes: list[str]) -> tuple[str | None, dict]:
    """One cache round trip: the current stamp of `site` + `scopes` (their versions and the expiry
    horizon) and, of `names`, those stored under that same stamp ({name: value}). (None, {}) when the
    cache is unreachable."""
    keys = [VERSION_PREFIX + scope for scope in [SITE, *scopes]]
    parts = {_part_key(name): name for name in names}
    found = cache.get_many([*keys, HORIZON_KEY, *parts])
    if any(key not in found for key in keys) or HORIZON_KEY not in found:
        read = _read_versions([SITE, *scopes])  # a token or the horizon is missing: set them up
        cache_metrics.parts_read(asked=len(parts), found=0)
        return (None, {}) if read is None else (_stamp(*read), {})
    stamp = _stamp([found[key] for key in keys], found[HORIZON_KEY])
    values = {}
    for part, name in parts.items():
        stored = found.get(part)
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == stamp:
            values[name] = stored[1]
    cache_metrics.parts_read(asked=len(parts), found=len(values))
    return stamp, values


def read_stamped(name: str, scopes: list[str]) -> tuple[str | None, object]:
    """`read_stamped_many` for one name: (stamp, value or None)."""
    stamp, values = read_stamped_many([name], scopes)
    return stamp, values.get(name)


def store_stamped_many(stamp: str, values: dict) -> None:
    """Keep {name: value} under `stamp` (from `read_stamped_many`), in one cache round trip."""
    horizon = float(stamp.rsplit("|", 1)[1])
    lifetime = int(min(settings.PAGE_CACHE_SECONDS, horizon - time.time()))
    if lifetime >= 1 and values:
        cache.set_many({_part_key(name): (stamp, value) for name, value in values.items()}, lifetime)


def store_stamped(name: str, stamp: str, value) -> None:
    store_stamped_many(stamp, {name: value})


def read_parts(wanted: dict[str, list[str]]) -> dict[str, tuple[str | None, object]]:
    """For each name of `wanted` ({name: its scopes}), what `read_stamped` returns ((stamp, value or
    None)), for all of them in one cache round trip: hand each to `remember(..., read=...)`. Empty when
    the page cache is off; a name missing from the answer is read by `remember` itself."""
    if not settings.PAGE_CACHE_SECONDS or not wanted:
        return {}
    scopes = list(dict.fromkeys(scope for names in wanted.values() for scope in names))
    keys = {scope: VERSION_PREFIX + scope for scope in [SITE, *scopes]}
    parts = {_part_key(name): name for name in wanted}
    found = cache.get_many([*keys.values(), HORIZON_KEY, *parts])
    if any(key not in found for key in keys.values()) or HORIZON_KEY not in found:
        return {}  # a token or the horizon is missing: `remember` sets them up
    read = {}
    for part, name in parts.items():
        stamp = _stamp([found[keys[scope]] for scope in [SITE, *wanted[name]]], found[HORIZON_KEY])
        stored = found.get(part)
        fresh = isinstance(stored, tuple) and len(stored) == 2 and stored[0] == stamp
        read[name] = (stamp, stored[1] if fresh else None)
    return read


def remember(name: str, scopes: list[str], compute, read: tuple | None = None):
    """`compute()` (public data, the same for every viewer: a list page's rows, "More Q&A", the featured
    answers), kept in the cache with the versions of `site` and `scopes` it was computed under, like whole
    pages: one cache round trip reads both (none when `read` is this name's entry from `read_parts`).
    Members' pages are rendered for each request but read their public parts from here."""
    if not settings.PAGE_CACHE_SECONDS:
        return compute()
    stamp, value = read if read is not None else read_stamped(name, scopes)
    if value is None:
        value = compute()
        if stamp is not None:
            store_stamped(name, stamp, value)
    return value


# --- Serving pages -----------------------------------------------------------------------------------------------


@functools.cache
def csrf_placeholder() -> str:
    """What cached HTML holds instead of a CSRF token: derived from SECRET_KEY, so every server process
    agrees on it and no visitor can write it into a post."""
    return "csrfslot" + salted_hmac("community.page_cache", "csrf placeholder").hexdigest()[:32]


@functools.cache
def viewer_slot() -> str:
    """The prefix of the placeholders that mark a viewer's own parts in shared HTML (`fill_viewer_parts`);
    secret like the CSRF placeholder, so no post can contain one."""
    return "viewerslot" + salted_hmac("community.page_cache", "viewer slot").hexdigest()[:32]


@functools.cache
def _viewer_parts_re() -> re.Pattern:
    slot = re.escape(viewer_slot())
    # {slot}v<answer id><u|d>: a vote button's aria-pressed; {slot}f< ... {slot}f>: the Flag form;
    # {slot}a< ... {slot}a>: the asker's Accept form; {slot}s< ... {slot}s>: the Save form (members only),
    # holding {slot}s<answer id><p|l|a>: its aria-pressed, its words and the action it sends.
    return re.compile(rf"{slot}(?:v(\d+)([ud])|s(\d+)([pla])|([fas])<(.*?){slot}\5>)", re.S)


# A Save button's placeholders, (not saved, saved): aria-pressed, the button's words, the action it sends.
SAVED_PARTS = {"p": ("false", "true"), "l": ("Save", "Saved"), "a": ("save", "remove")}


def fill_viewer_parts(
    html: str, *, votes: dict, flags: bool, accept: bool, csrf_token: str | None, saved=None
) -> str:
    """Shared HTML (an answer as every member sees it) made this viewer's: their votes pressed (`votes`:
    {answer id: 1 or -1}), Flag forms kept for members who may flag, Accept forms for the asker only, Save
    buttons for members (`saved`: the ids of the answers they saved; None for visitors: no button), and
    their CSRF token (None: leave the page cache's placeholder, filled later)."""
    keep = {"f": flags, "a": accept, "s": saved is not None}

    def fill(match) -> str:
        if match.group(1):
            wanted = 1 if match.group(2) == "u" else -1
            return "true" if votes.get(int(match.group(1))) == wanted else "false"
        if match.group(3):
            return SAVED_PARTS[match.group(4)][int(match.group(3)) in (saved or ())]
        # A kept block may hold placeholders of its own (the Save form's state).
        return _viewer_parts_re().sub(fill, match.group(6)) if keep[match.group(5)] else ""

    html = _viewer_parts_re().sub(fill, html)
    return html.replace(csrf_placeholder(), csrf_token) if csrf_token else html


def csrf_context(request) -> dict:
    """Context processor: while a page is rendered for the cache, templates get the placeholder."""
    if getattr(request, "_page_cache_rendering", False):
        return {"csrf_token": csrf_placeholder()}
    return {}


def _cacheable(request, query_params) -> bool:
    if not settings.PAGE_CACHE_SECONDS or request.method != "GET":
        return False
    if not set(request.GET).issubset(query_params):
        return False
    if request.user.is_authenticated:
        return False
    return len(messages.get_messages(request)) == 0


def _read_versions(scopes: list[str]) -> tuple[list[str], float] | None:
    """The page's version tokens and the expiry horizon: one cache round trip (more only for a token or
    horizon that is missing). None when the cache is unreachable."""
    keys = [VERSION_PREFIX + scope for scope in scopes]
    found = cache.get_many([*keys, HORIZON_KEY])
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, secrets.token_hex(6), VERSION_SECONDS)  # add: concurrent first readers agree
        found.update(cache.get_many(missing))
    if any(key not in found for key in keys):
        return None
    horizon = found.get(HORIZON_KEY) or _expiry_horizon()
    return [found[key] for key in keys], horizon


# Functions that return when the next change happens that time alone makes to cached pages (a datetime, or
# None): accounts registers the next expiry of an expert's verification (accounts.apps).
_EXPIRY_SOURCES: list = []


def register_expiry_source(next_expiry) -> None:
    """Let a page not be kept past a moment that changes it without an event (an expiry)."""
    if next_expiry not in _EXPIRY_SOURCES:
        _EXPIRY_SOURCES.append(next_expiry)


def _expiry_horizon() -> float:
    """The Unix time of the next registered expiry (far away when there is none), kept in the cache until
    then."""
    moments = [moment for source in _EXPIRY_SOURCES if (moment := source()) is not None]
    horizon = min(moment.timestamp() for moment in moments) if moments else time.time() + VERSION_SECONDS
    cache.set(HORIZON_KEY, horizon, max(1, min(VERSION_SECONDS, int(horizon - time.time()))))
    return horizon


def _with_visitor_token(request, content: bytes) -> bytes:
    placeholder = csrf_placeholder().encode()
    if placeholder not in content:
        return content
    return content.replace(placeholder, get_token(request).encode())


def _etag(key: str, request) -> str:
    # The visitor's CSRF secret (their cookie, or the one this response sets) is part of it: a page kept
    # by the browser holds tokens for that secret, so a new cookie means a fresh page.
    get_token(request)
    secret = request.META.get("CSRF_COOKIE", "")
    return 'W/"' + hashlib.blake2b(f"{key}|{secret}".encode(), digest_size=10).hexdigest() + '"'


def _finish(response, etag: str, outcome: str):
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"  # browsers keep it but ask each time (If-None-Match)
    patch_vary_headers(response, ["Cookie"])
    response.page_cache = outcome  # read by community.timing for the Server-Timing header
    return response


def _matches(request, etag: str) -> bool:
    wanted = request.headers.get("If-None-Match", "")
    return any(candidate.strip() in (etag, "*") for candidate in wanted.split(",")) if wanted else False


def anonymous_page(scopes):
    """Serve the view's page to anonymous visitors from the cache. `scopes(**view_kwargs)` names the
    version tokens of the page besides `site`."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _cacheable(request, LIST_QUERY_PARAMS):
                return view(request, *args, **kwargs)
            read = _read_versions([SITE, *scopes(**kwargs)])
            if read is None:
                return view(request, *args, **kwargs)  # the cache is unreachable: render as usual
            versions, horizon = read
            # The horizon is part of the key: once a verification expires, every page is built anew.
            identity = f"{request.get_full_path()}|{'.'.join(versions)}|{horizon:.0f}"
            key = PAGE_PREFIX + hashlib.blake2b(identity.encode(), digest_size=16).hexdigest()
            etag = _etag(key, request)
            if _matches(request, etag):
                return _finish(HttpResponseNotModified(), etag, "304")
            stored = cache.get(key)
            if stored is not None:
                content, content_type = stored
                response = HttpResponse(_with_visitor_token(request, content), content_type=content_type)
                return _finish(response, etag, "hit")
            path_key = _path_key(request.get_full_path())
            scope_names = [SITE, *scopes(**kwargs)]
            if not cache.add(LOCK_PREFIX + path_key, 1, REBUILD_LOCK_SECONDS):
                # Another request is rebuilding this page: serve the copy from before the change, unless
                # something was taken away since (its floor tokens were replaced). One round trip reads both.
                floors, previous = _read_floors(scope_names, LATEST_PREFIX + path_key)
                floors = None if floors is None else f"{floors}|{horizon:.0f}"
                if previous is not None and floors is not None and previous[0] == floors:
                    content, content_type = previous[1], previous[2]
                    response = HttpResponse(_with_visitor_token(request, content), content_type=content_type)
                    response["Cache-Control"] = "private, no-cache"
                    patch_vary_headers(response, ["Cookie"])
                    response.page_cache = "previous"
                    return response
                return _render_for_cache(view, request, args, kwargs, key, etag, horizon, None, None)
            floors, _ = _read_floors(scope_names)
            floors = None if floors is None else f"{floors}|{horizon:.0f}"
            try:
                return _render_for_cache(view, request, args, kwargs, key, etag, horizon, path_key, floors)
            finally:
                cache.delete(LOCK_PREFIX + path_key)

        return wrapper

    return decorator


def _path_key(path: str) -> str:
    """The part of a page's rebuild lock and latest copy keys that names the page (path and query)."""
    return hashlib.blake2b(path.encode(), digest_size=16).hexdigest()


def _read_floors(scopes: list[str], also: str | None = None) -> tuple[str | None, object]:
    """The floor tokens of `scopes` (missing ones set up), or None when the cache is unreachable; and the
    value of the key `also` (None without it), read in the same round trip."""
    keys = [FLOOR_PREFIX + scope for scope in scopes]
    found = cache.get_many([*keys, also] if also else keys)
    for key in keys:
        if key not in found:
            cache.add(key, secrets.token_hex(6), VERSION_SECONDS)
            found[key] = cache.get(key)
    if any(found.get(key) is None for key in keys):
        return None, found.get(also)
    return ".".join(found[key] for key in keys), found.get(also)


def _render_for_cache(view, request, args, kwargs, key, etag, horizon, path_key, floors):
    """Render the page for anonymous visitors and keep it under `key` (and, with `path_key`, as the latest
    copy of the page, with the floor tokens it was rendered under)."""
    request._page_cache_rendering = True
    try:
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
    finally:
        request._page_cache_rendering = False
    lifetime = int(min(settings.PAGE_CACHE_SECONDS, horizon - time.time()))
    if response.status_code != 200:
        lifetime = 0
    if lifetime < 1 or response.streaming or response.cookies:
        if not response.streaming:
            response.content = _with_visitor_token(request, response.content)
        return response
    cache.set(key, (response.content, response["Content-Type"]), lifetime)
    if path_key is not None and floors is not None:
        latest = (floors, response.content, response["Content-Type"])
        cache.set(LATEST_PREFIX + path_key, latest, settings.PAGE_CACHE_SECONDS)
    response.content = _with_visitor_token(request, response.content)
    return _finish(response, etag, "miss")


def list_page(view):
    """Home, category and tag pages: one version token for all lists."""
    return anonymous_page(lambda **kwargs: [LISTS])(view)


def question_page(view):
    """A question's page: its own version tokens (its content, its numbers)."""
    return anonymous_page(lambda pk, **kwargs: [question_scope(pk), question_scores_scope(pk)])(view)
