"""Similar questions while asking (forum.similar): what a member sees under the title they type. Only
published questions, at most five, best match first, never who asked, and a bounded cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.moderation import actions, review
from forum.posting import services
from tests.factories import UserFactory, category, make_moderator

pytestmark = pytest.mark.django_db
URL = reverse("forum:similar_questions")


@pytest.fixture
def mod(db):
    return make_moderator(display_name="Morgan")


@pytest.fixture
def member(client):
    user = UserFactory()
    client.force_login(user)
    return user


def asked(title, *, approve_by=None, anonymous=False, author=None):
    question = services.ask(
        author=author or UserFactory(),
        title=title,
        body="Some details about it, long enough to post.",
        category=category("living-well"),
        tags=[],
        is_anonymous=anonymous,
        accepted_terms=True,
    )
    if approve_by:
        review.approve(moderator=approve_by, item=question)
    question.refresh_from_db()
    return question


def shown(client, title) -> str:
    response = client.get(URL, {"title": title})
    assert response.status_code == 200
    return response.content.decode()


def test_a_typed_title_lists_published_questions_with_the_same_words(client, member, mod):
    match = asked("Melatonin for jet lag sleep problems", approve_by=mod)
    asked("Knee pain after running", approve_by=mod)
    html = shown(client, "Is melatonin safe to take every night")
    assert match.title in html
    assert match.get_absolute_url() in html
    assert "0 answers" in html
    assert "Knee pain" not in html


def test_the_best_match_comes_first(client, member, mod):
    asked("Melatonin dosage", approve_by=mod)
    best = asked("Melatonin dosage for children who cannot sleep", approve_by=mod)
    html = shown(client, "Melatonin dosage for my children")
    assert html.index(best.title) < html.index("Melatonin dosage</a>")


def test_pending_hidden_and_rejected_questions_never_appear(client, member, mod):
    public = asked("Melatonin and vivid dreams", approve_by=mod)
    pending = asked("Melatonin overdose worries")
    hidden = asked("Melatonin brand comparison", approve_by=mod)
    actions.hide(moderator=mod, item=hidden, reason="Advertising.")
    rejected = asked("Melatonin with alcohol")
    review.reject(moderator=mod, item=rejected, reason="Please rephrase.")
    html = shown(client, "melatonin overdose brand alcohol dreams")
    assert public.title in html
    for invisible in (pending, hidden, rejected):
        assert invisible.title not in html
    # Not even to the author of the pending question: the list is of published questions only.
    client.force_login(pending.author)
    assert pending.title not in shown(client, "Melatonin overdose worries")


def test_at_most_five_and_no_asker_names(client, member, mod):
    writer = UserFactory(display_name="Quentin Secretname")
    for n in range(7):
        asked(f"Migraine with aura question number {n}", approve_by=mod, anonymous=True, author=writer)
    html = shown(client, "Migraine with aura every week")
    assert html.count("<li>") == 5
    assert "Secretname" not in html
    assert "Anonymous" not in html


def test_short_empty_or_wordless_titles_give_an_empty_fragment(client, member, mod):
    asked("Migraine with aura", approve_by=mod)
    for title in ("", "   ", "Migraine", "how do I do it when", "?!?!?!?!?!?!?!"):
        assert shown(client, title).strip() == ""


def test_only_members_who_can_ask_get_it(client, mod):
    asked("Migraine with aura", approve_by=mod)
    response = client.get(URL, {"title": "Migraine with aura again"})
    assert response.status_code == 302  # to the login page, like the ask form itself


def test_the_query_count_stays_bounded_however_many_match(client, member, mod, settings):
    settings.PAGE_CACHE_SECONDS = 0  # measure the search itself, not the cache
    for n in range(12):
        asked(f"Tinnitus ringing question {n}", approve_by=mod)
    client.get(URL, {"title": "Tinnitus ringing at night"})  # the session and synonyms, read once
    with CaptureQueriesContext(connection) as few:
        shown(client, "Tinnitus ringing at night")
    for n in range(12, 40):
        asked(f"Tinnitus ringing question {n}", approve_by=mod)
    with CaptureQueriesContext(connection) as many:
        html = shown(client, "Tinnitus ringing again at night")
    assert html.count("<li>") == 5
    assert len(many) == len(few) <= 10


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")
def test_it_uses_the_sqlite_full_text_index_with_word_forms(client, member, mod):
    match = asked("Sleeping badly since the new medication", approve_by=mod)
    assert match.title in shown(client, "Cannot sleep after medications changed")


def test_the_ask_page_asks_for_similar_questions_under_the_title(client, member):
    html = client.get(reverse("forum:ask")).content.decode()
    assert f'hx-get="{URL}"' in html
    assert 'hx-trigger="input delay:400ms from:#id_title"' in html
    assert html.index('id="id_title"') < html.index('id="similar-questions"') < html.index('id="id_body"')
