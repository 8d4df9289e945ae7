"""Installable on a phone, in Chromium: the service worker registers, and with the network cut a page shows
the offline page (not a stored copy of any health content); the offline page passes axe in both colour
schemes; "Try again" brings the page back once the network is."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.helpers import community

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

axe = Axe()


def serious_violations(page) -> list[str]:
    results = axe.run(page, options={"resultTypes": ["violations"]})
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def wait_for_service_worker(page) -> str:
    """The active worker's script URL, once it controls the page."""
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    return page.evaluate("() => navigator.serviceWorker.ready.then(r => r.active.scriptURL)")


def cached_paths(page) -> list[str]:
    return page.evaluate(
        """async () => {
            const paths = [];
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) paths.push(new URL(request.url).pathname);
            }
            return paths.sort();
        }"""
    )


def test_with_the_network_cut_a_page_shows_the_offline_page_and_try_again_brings_it_back(
    new_context, site_url
):
    c = community()
    context = new_context(width=390, height=844)
    page = context.new_page()
    page.goto(c.question.get_absolute_url())
    assert wait_for_service_worker(page) == f"{site_url}{reverse('discovery:service_worker')}"
    question_url = c.question.get_absolute_url()

    context.set_offline(True)
    page.goto(question_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    expect(page.get_by_text("needs an internet connection")).to_be_visible()
    assert c.question.title not in page.content()  # no stored copy of the question
    assert page.url.endswith(question_url)  # the address stays, so "Try again" reloads it
    # What the worker keeps, after a question page was read: the offline page and its assets, nothing else.
    assert cached_paths(page) == sorted(
        [reverse("discovery:offline"), "/static/css/site.css", "/static/img/favicon.svg"]
    )

    context.set_offline(False)
    page.get_by_role("link", name="Try again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(c.question.title)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_offline_page_passes_axe(new_context, scheme):
    page = new_context(color_scheme=scheme).new_page()
    response = page.goto(reverse("discovery:offline"))
    assert response.status == 200
    assert serious_violations(page) == []
    assert page.locator("html").get_attribute("lang") == "en"


def test_the_offline_page_as_the_worker_serves_it_passes_axe(new_context):
    context = new_context()
    page = context.new_page()
    page.goto("/")
    wait_for_service_worker(page)
    context.set_offline(True)
    page.goto(reverse("forum:expert_qa"))
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    assert serious_violations(page) == []
