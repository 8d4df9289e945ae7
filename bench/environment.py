"""The benchmark's environment and data: production-like settings, Django against the scale data set,
members' sessions, the pages to measure, their queries and plans."""

import os
import tempfile
import uuid
from pathlib import Path


def add_data_set_arguments(parser) -> None:
    """Where the scale data set and the benchmark's own Redis database are (make bench, bench.scaling)."""
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hc_bench"),
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"))


def prepare_environment(args) -> dict:
    run_id = uuid.uuid4().hex[:8]
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + uuid.uuid4().hex + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",  # plain http on localhost; everything else as in production
        "STATIC_ROOT": str(static_root),
        "CHANNEL_PREFIX": f"bench{run_id}",
        "CACHE_KEY_PREFIX": f"bench{run_id}",
        "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    return env


def setup_django() -> None:
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("migrate", "--no-input", verbosity=0)  # a data set generated before new indexes gets them
    call_command("collectstatic", "--no-input", verbosity=0)
    cache.clear()  # the benchmark's own Redis database


def session_for(user) -> str:
    """A logged-in session for `user`, as the login view would leave it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def find_pages(deep_page: int | None = None) -> dict:
    """The pages to measure, found in the data: the biggest category and tag, a question with 5 answers,
    the question with the most answers, and page `deep_page` of the home list (default: its deepest
    full page)."""
    from django.db.models import Count
    from taggit.models import Tag

    from accounts.models import ExpertCredential, User
    from forum.models import Category, Question
    from forum.selectors import _encode_cursor

    public = Question.objects.public()
    category = Category.objects.annotate(n=Count("questions")).order_by("-n").first()
    tag = Tag.objects.annotate(n=Count("forum_taggedquestion_items")).order_by("-n").first()
    big = public.order_by("-answer_count", "pk").first()
    five = public.filter(answer_count=5).exclude(tags=None).order_by("-pk").first()
    approved = public.count()
    page_size = 20
    deepest = min(deep_page or approved // page_size, approved // page_size)  # a full page
    # The cursor of the last row of the page before (found once with OFFSET; pages use keysets).
    before = public.order_by("-approved_at", "-pk")[(deepest - 1) * page_size - 1]
    experts = ExpertCredential.objects.values("user_id")
    members = User.objects.filter(is_superuser=False, is_staff=False).exclude(pk__in=experts)
    # A reader of the measured pages: an established member (reputation over 100) who asked none of them
    # and wrote none of their answers (authors see edit links and get their page rendered for them).
    from forum.models import Answer

    writers = Answer.objects.filter(question__in=[big, five]).values("author_id")
    member = (
        members.filter(reputation__gt=100)
        .exclude(pk__in=writers)
        .exclude(pk__in=[big.author_id, five.author_id])
        .order_by("pk")
        .first()
    )
    return {
        "approved": approved,
        "category": category,
        "tag": tag,
        "big": big,
        "five": five,
        "member": member,
        "members": members,
        "deep_page": deepest,
        "deep_cursor": _encode_cursor(before),
        "paths": {
            "home": "/",
            "category": category.get_absolute_url(),
            "tag": f"/tags/{tag.slug}/",
            "search": "/search/?q=sleep",
            "question (5 answers)": five.get_absolute_url(),
            f"question ({big.answer_count} answers)": big.get_absolute_url(),
        },
    }


def count_queries(path: str, session_key: str | None) -> tuple[int, int]:
    """Queries of a rendered page, and of a page as served: for a visitor, the whole-page cache (the
    render is measured with it switched off, the cached public parts warm, as on a page-cache miss)."""
    from unittest import mock

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if session_key:
        client.cookies["sessionid"] = session_key

    def measure() -> int:
        client.get(path)  # warm: the cached public parts, per-process caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return len(captured)

    with mock.patch("community.page_cache._cacheable", return_value=False):
        rendered = measure()
    return rendered, measure()


def captured_sql(path: str, needle: str) -> str:
    """The SQL of the first query on `path` that contains `needle` (for EXPLAIN), from a rendered page."""
    return captured_sqls(path, needle)[0]


def captured_sqls(path: str, needle: str) -> list[str]:
    """The SQL of every query on `path` that contains `needle`, in order, from a rendered page."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    with override_settings(PAGE_CACHE_SECONDS=0), CaptureQueriesContext(connection) as captured:
        Client(HTTP_HOST="127.0.0.1").get(path)
    found = [query["sql"] for query in captured.captured_queries if needle in query["sql"]]
    if not found:
        raise LookupError(f"no query with {needle!r} on {path}")
    return found


def explain_all(sqls: list[str]) -> list[str]:
    lines = []
    for n, sql in enumerate(sqls, 1):
        lines += ([""] if lines else []) + [f"-- query {n} of {len(sqls)}"] + explain(sql)
    return lines


def explain(sql: str) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)
        return [row[0] for row in cursor.fetchall()]
