"""Real-browser tests: Playwright drives Debian's Chromium against the site served over ASGI.

One Daphne server runs in a thread of the test process (so it shares pytest-django's test database, the
in-memory channel layer, the local-memory cache and the locmem email outbox), one Chromium serves each run
of consecutive browser tests, and every test gets a fresh browser context (no cookies, no storage).

Without /usr/bin/chromium the browser tests are skipped, with one line at the end of the run saying how to
enable them.
"""

import contextlib
import os
import threading
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOW_TO_ENABLE = f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium` to run them"
# Time for one expectation (a page to load, a live update to arrive) before a test fails.
TIMEOUT_MS = int(os.environ.get("BROWSER_TIMEOUT_MS", "10000"))
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS", "/tmp/browser-test-artifacts"))


def chromium_available() -> bool:
    return os.access(CHROMIUM, os.X_OK)


def pytest_collection_modifyitems(config, items):
    if chromium_available():
        return
    skip = pytest.mark.skip(reason="needs Chromium (apt-get install chromium)")
    skipped = 0
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)
            skipped += 1
    config._browser_tests_skipped = skipped


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = getattr(config, "_browser_tests_skipped", 0)
    if skipped:
        terminalreporter.write_line(
            f"{skipped} browser tests SKIPPED. {HOW_TO_ENABLE}.", yellow=True, bold=True
        )


# --- The site under test ----------------------------------------------------------------------------------


class AsgiServerThread(threading.Thread):
    """Daphne (HTTP + WebSocket) on a free port of 127.0.0.1, in this process.

    In-process rather than a subprocess because pytest-django's SQLite test database lives in memory
    (shared cache), and so do the channel layer, the cache and the email outbox the tests read.
    """

    def __init__(self):
        super().__init__(name="daphne-under-test", daemon=True)
        self.port = None
        self.error = None
        self.ready = threading.Event()

    def run(self):
        try:
            from channels.routing import get_default_application
            from daphne.endpoints import build_endpoint_description_strings
            from daphne.server import Server
            from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
            from twisted.internet import reactor

            self.server = Server(
                application=ASGIStaticFilesHandler(get_default_application()),
                endpoints=build_endpoint_description_strings(host="127.0.0.1", port=0),
                signal_handlers=False,
                verbosity=0,
            )
            reactor.callLater(0, self._wait_for_port)
            self.server.run()
        except BaseException as exc:  # reported to the fixture, which fails the test run with it
            self.error = exc
            self.ready.set()

    def _wait_for_port(self):
        from twisted.internet import reactor

        if self.server.listening_addresses:
            self.port = self.server.listening_addresses[0][1]
            self.ready.set()
        else:
            reactor.callLater(0.02, self._wait_for_port)

    def stop(self):
        from twisted.internet import reactor

        reactor.callFromThread(reactor.stop)
        self.join(timeout=5)


@pytest.fixture(scope="session")
def site_url(django_db_setup, django_db_blocker):
    """Base URL of the ASGI site under test, started once per session."""
    from django.conf import settings
    from django.db import connections

    if not chromium_available():
        pytest.skip(f"browser tests skipped: {HOW_TO_ENABLE}")
    # Every request of the server runs in a thread of its own (ASGI): close its connection when the
    # request ends, so PostgreSQL can flush and drop the test database between and after tests.
    for alias in connections:
        connections.settings[alias]["CONN_MAX_AGE"] = 0
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    with django_db_blocker.unblock():
        server = AsgiServerThread()
        server.start()
        if not server.ready.wait(timeout=20) or server.error:
            raise RuntimeError(f"The ASGI server did not start: {server.error!r}")
        yield f"http://127.0.0.1:{server.port}"
    server.stop()


# --- The browser ------------------------------------------------------------------------------------------


class BrowserSession:
    """Playwright and one Chromium, shared by consecutive browser tests.

    Playwright's sync API keeps an asyncio loop marked as running on the test thread while it is started.
    That would break the tests that run after the browser tests (pytest-asyncio's loops, Django's
    async-safety guard), so the browser is stopped as soon as the next test is not a browser test, and
    Django's guard is relaxed only while it runs (the tests' own ORM calls share the thread with it).
    """

    def __init__(self):
        self.playwright = None
        self.browser = None

    def get(self):
        if self.browser is None:
            from django.db import connections
            from playwright.sync_api import sync_playwright

            # With a loop marked running, Django's thread-critical `connections` switch from thread-local
            # to context-local storage and would open a second connection without pytest-django's state
            # (serialized rollback). Keep using this thread's connections.
            own = {alias: connections[alias] for alias in connections}
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
            self.playwright = sync_playwright().start()
            for alias, connection in own.items():
                connections[alias] = connection
            self.browser = self.playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
        return self.browser

    def stop(self):
        if self.browser is not None:
            self.browser.close()
            self.playwright.stop()
            self.browser = self.playwright = None
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


_browser_session = BrowserSession()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield  # the test's fixtures (its browser contexts) are finalised first
    if nextitem is None or not nextitem.get_closest_marker("browser"):
        _browser_session.stop()
    return result


@pytest.fixture
def chromium(site_url):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    return _browser_session.get()


@pytest.fixture
def new_context(chromium, site_url, request):
    """Make fresh browser contexts (a person on their own device); all closed after the test.

    On failure a screenshot of every open page is saved under BROWSER_ARTIFACTS.
    """
    contexts = []

    def make(*, width=1280, height=900, color_scheme="light", **options):
        context = chromium.new_context(
            base_url=site_url,
            viewport={"width": width, "height": height},
            color_scheme=color_scheme,
            locale="en-US",
            **options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS * 2)
        contexts.append(context)
        return context

    yield make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for number, context in enumerate(contexts):
        if failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            for index, page in enumerate(context.pages):
                with contextlib.suppress(Exception):  # a crashed page must not hide the real failure
                    page.screenshot(
                        path=ARTIFACTS / f"{request.node.name}-{number}-{index}.png", full_page=True
                    )
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report


@pytest.fixture
def page(new_context):
    """A page in a fresh context, logged out."""
    return new_context().new_page()


@pytest.fixture
def login(new_context, site_url):
    """Return a page in a fresh context, logged in as `user` (session cookie set, no form filled)."""
    from django.conf import settings
    from django.test import Client

    def log_in(user, **context_options):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context = new_context(**context_options)
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": site_url}])
        return context.new_page()

    return log_in
