"""The "Ask our experts" box in Chromium, embedded in a publisher's article served from another origin (a
second local server on another port): it shows the featured expert answers, a newly featured answer
appears live, a page from an origin that is not allowed cannot frame it, and it passes axe, works by
keyboard and fits 320 px."""

import http.server
import threading
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from forum.curation import services as curation
from tests.browser.helpers import has_visible_focus_ring, heading_order_problems
from tests.factories import AnswerFactory, QuestionFactory, category, make_expert, make_moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

axe = Axe()


class Publisher:
    """A publisher's site: one article page that embeds the box, served by Python's http.server on a free
    port of 127.0.0.1 (another origin than the community's)."""

    def __init__(self, box_url: str):
        article = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>The Example Gazette</title></head>'
            "<body><main><h1>Why do so many of us sleep badly in winter?</h1><p>Shorter days change when we "
            f'make melatonin.</p><iframe id="box" src="{box_url}" title="Ask our experts" width="320" '
            'height="560"></iframe></main></body></html>'
        ).encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(article)))
                self.end_headers()
                self.wfile.write(article)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def publishers(site_url):
    started = []

    def start(box_path: str) -> Publisher:
        publisher = Publisher(site_url + box_path)
        started.append(publisher)
        return publisher

    yield start
    for publisher in started:
        publisher.stop()


def featured_answer(expert, title: str, minutes_ago: int = 5):
    question = QuestionFactory(
        title=title, category=category("mental-health"), approved_at=timezone.now() - timedelta(hours=1)
    )
    question.tags.set(["sleep"])
    return AnswerFactory(
        question=question,
        author=expert,
        body="A regular wake-up time, daylight in the morning and no screens in bed help most people.",
        is_featured=True,
        featured_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def test_a_publisher_page_shows_the_box_and_a_newly_featured_answer_appears_live(
    page, publishers, settings, site_url
):
    expert = make_expert(display_name="Dr. Ada Okafor")
    moderator = make_moderator(display_name="Morgan")
    featured_answer(expert, "Why do I wake up at 4 am every night?")
    later = AnswerFactory(
        question=QuestionFactory(
            title="Does melatonin help with jet lag?", category=category("mental-health")
        ),
        author=expert,
        body="It can, taken at the destination's bedtime for a few days.",
    )
    later.question.tags.set(["sleep"])
    publisher = publishers("/embed/experts/?tag=sleep")
    settings.EMBED_ALLOWED_ORIGINS = [publisher.origin]

    page.goto(publisher.origin + "/")
    box = page.frame_locator("#box")
    expect(box.locator(".answer h2")).to_have_text(["Why do I wake up at 4 am every night?"])
    expect(box.locator(".by")).to_contain_text("Dr. Ada Okafor, Mental Health Expert")
    expect(box.locator("body")).to_have_attribute("data-live-state", "open")

    curation.feature_answer(moderator=moderator, answer=later)  # a moderator features another answer
    expect(box.locator(".answer h2")).to_have_text(
        ["Does melatonin help with jet lag?", "Why do I wake up at 4 am every night?"]
    )

    # "Read more" opens the answer on the community's site, in a new tab, not inside the publisher's page.
    with page.context.expect_page() as opened:
        box.get_by_role("link", name="Read more").filter(has_text="Does melatonin help with jet lag?").click()
    article = opened.value
    article.wait_for_load_state()
    assert article.url.startswith(f"{site_url}/q/{later.question.pk}/")
    assert page.url == publisher.origin + "/"


def test_a_page_from_an_origin_that_is_not_allowed_cannot_frame_the_box(page, publishers, settings):
    featured_answer(make_expert(display_name="Dr. Ada Okafor"), "Why do I wake up at 4 am every night?")
    allowed = publishers("/embed/experts/")
    other = publishers("/embed/experts/")
    settings.EMBED_ALLOWED_ORIGINS = [allowed.origin]
    refusals = []
    page.on(
        "console",
        lambda message: refusals.append(message.text) if "frame-ancestors" in message.text else None,
    )

    page.goto(other.origin + "/", wait_until="load")
    page.wait_for_timeout(500)
    framed = page.frames[1]
    assert framed.url != f"{allowed.origin}/" and framed.locator("#box-items").count() == 0
    assert any("frame-ancestors" in text for text in refusals), refusals

    page.goto(allowed.origin + "/", wait_until="load")  # the same page from the allowed origin works
    expect(page.frame_locator("#box").locator("#box-items .answer")).to_have_count(1)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_box_passes_axe_and_fits_320_px(new_context, scheme):
    featured_answer(make_expert(display_name="Dr. Ada Okafor"), "Why do I wake up at 4 am every night?")
    page = new_context(width=320, height=640, color_scheme=scheme).new_page()
    page.goto("/embed/experts/?category=mental-health")
    expect(page.locator(".answer")).to_have_count(1)
    results = axe.run(page, options={"resultTypes": ["violations"]})
    serious = [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert heading_order_problems(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # nothing sideways at 320 px
    assert page.locator("html").get_attribute("lang") == "en"


def test_the_box_works_by_keyboard(new_context, site_url):
    featured_answer(make_expert(display_name="Dr. Ada Okafor"), "Why do I wake up at 4 am every night?")
    page = new_context(width=320, height=640).new_page()
    page.goto("/embed/experts/")
    expected = [
        "Read more: Why do I wake up at 4 am every night?",
        "Ask your question",
        "More expert answers",
    ]
    for name in expected:
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent.replace(/\\s+/g, ' ').trim()")
        assert focused.startswith(name), (name, focused)
        assert has_visible_focus_ring(page), name
    with page.context.expect_page() as opened:
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")  # "Ask your question"
    opened.value.wait_for_load_state()
    assert opened.value.url.startswith(site_url)  # asking needs an account: the login page, then the form
    assert "ask" in opened.value.url


def test_the_demo_article_shows_the_box(page):
    featured_answer(make_expert(display_name="Dr. Ada Okafor"), "Why do I wake up at 4 am every night?")
    page.goto("/embed/demo/")
    expect(page.frame_locator(".expert-box").locator(".answer h2")).to_have_text(
        ["Why do I wake up at 4 am every night?"]
    )
