"""Saved posts (forum.saving): members save questions and answers, note them privately and find them on their
Saved page; nobody else ever sees or changes what a member saved, and the question page's shared copies
(community.page_cache) never carry one member's Save state to another's page."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts import privacy
from community import page_cache
from forum.models import Saved, Status
from forum.moderation import actions as moderation
from forum.saving import services
from forum.saving.selectors import PAGE_SIZE
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, make_moderator

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def save_url(kind, pk) -> str:
    return reverse("forum:save", args=[kind, pk])


def save_state(html: str, kind: str, pk: int) -> tuple[str, str] | None:
    """(aria-pressed, the button's words) of the Save button of a post, or None without a button."""
    widget = re.search(rf'id="save-{kind}-{pk}".*?</div>', html, re.S)
    if widget is None:
        return None
    button = re.search(r'aria-pressed="(\w+)"><span class="save-label">(\w+)<', widget.group(0))
    return button.group(1), button.group(2)


@pytest.fixture
def question():
    return QuestionFactory(status=Status.APPROVED, title="Can I run with a cold?")


@pytest.fixture
def answer(question):
    return AnswerFactory(question=question, status=Status.APPROVED, body="Rest until the fever is gone.")


# --- Saving from the question page ---------------------------------------------------------------------------


def test_a_member_saves_an_answer_without_javascript_and_comes_back_to_it_pressed(question, answer):
    member = UserFactory()
    client = login(member)
    back = f"{question.get_absolute_url()}#answer-{answer.pk}"
    response = client.post(save_url("answer", answer.pk), {"action": "save", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert Saved.objects.filter(member=member, answer=answer).exists()
    page = client.get(question.get_absolute_url()).content.decode()
    assert save_state(page, "answer", answer.pk) == ("true", "Saved")
    assert save_state(page, "question", question.pk) == ("false", "Save")


def test_htmx_save_and_remove_return_the_button_in_its_new_state(question):
    member = UserFactory()
    client = login(member)
    saved = client.post(save_url("question", question.pk), {"action": "save"}, HTTP_HX_REQUEST="true")
    assert save_state(saved.content.decode(), "question", question.pk) == ("true", "Saved")
    # Saving twice (a double click) keeps one saved post.
    client.post(save_url("question", question.pk), {"action": "save"}, HTTP_HX_REQUEST="true")
    assert Saved.objects.filter(member=member).count() == 1
    removed = client.post(save_url("question", question.pk), {"action": "remove"}, HTTP_HX_REQUEST="true")
    assert save_state(removed.content.decode(), "question", question.pk) == ("false", "Save")
    assert not Saved.objects.filter(member=member).exists()


def test_a_visitor_who_presses_save_is_sent_to_log_in_and_nothing_is_saved(question, answer):
    response = Client().post(save_url("answer", answer.pk), {"action": "save"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert not Saved.objects.exists()


def test_someone_elses_hidden_answer_cannot_be_saved_and_the_member_is_told_why(question, answer):
    moderation.hide(moderator=make_moderator(), item=answer, reason="Unsafe advice")
    client = login(UserFactory())
    response = client.post(save_url("answer", answer.pk), {"action": "save"})
    assert response.status_code == 403
    assert "only posts everyone can see, and your own, can be saved" in response.content.decode()
    # The same words for a post that does not exist: a refusal tells nothing about hidden posts.
    missing = client.post(save_url("answer", answer.pk + 999), {"action": "save"}, HTTP_HX_REQUEST="true")
    assert missing.status_code == 403 and "be saved: only posts everyone can see" in missing.content.decode()
    assert not Saved.objects.exists()


def test_a_moderator_cannot_save_a_hidden_post_either(question, answer):
    moderator = make_moderator()
    moderation.hide(moderator=moderator, item=answer, reason="Unsafe advice")
    response = login(moderator).post(save_url("answer", answer.pk), {"action": "save"})
    assert response.status_code == 403 and not Saved.objects.exists()


def test_a_member_may_save_their_own_answer_while_it_awaits_review(question):
    author = UserFactory()
    pending = AnswerFactory(question=question, author=author, status=Status.PENDING)
    response = login(author).post(save_url("answer", pending.pk), {"action": "save"})
    assert response.status_code == 302 and Saved.objects.filter(member=author, answer=pending).exists()


# --- The shared copies of the question page never carry anyone's Save state ---------------------------------


@pytest.mark.parametrize("cache_seconds", [300, 0], ids=["page-cache-on", "page-cache-off"])
def test_one_members_saved_state_never_shows_on_another_members_or_a_visitors_page(
    question, answer, settings, cache_seconds
):
    settings.PAGE_CACHE_SECONDS = cache_seconds
    other = AnswerFactory(question=question, status=Status.APPROVED)
    first, second = UserFactory(), UserFactory()
    services.save(member=first, post=answer)
    services.save(member=first, post=question)
    services.save(member=second, post=other)
    visitor = Client()
    visitor.get(question.get_absolute_url())  # builds the anonymous page and the shared answer copies
    mine = login(first).get(question.get_absolute_url()).content.decode()
    theirs = login(second).get(question.get_absolute_url()).content.decode()
    anonymous = visitor.get(question.get_absolute_url()).content.decode()
    assert save_state(mine, "answer", answer.pk) == ("true", "Saved")
    assert save_state(mine, "answer", other.pk) == ("false", "Save")
    assert save_state(mine, "question", question.pk) == ("true", "Saved")
    assert save_state(theirs, "answer", answer.pk) == ("false", "Save")
    assert save_state(theirs, "answer", other.pk) == ("true", "Saved")
    assert save_state(theirs, "question", question.pk) == ("false", "Save")
    assert "save-toggle" not in anonymous and "Saved" not in anonymous.split("<main", 1)[1]
    for html in (mine, theirs, anonymous):
        assert page_cache.viewer_slot() not in html


# --- The Saved page -------------------------------------------------------------------------------------------


def test_the_saved_page_lists_the_members_posts_newest_first_with_their_notes(question, answer):
    member = UserFactory()
    services.save(member=member, post=question)
    item = services.save(member=member, post=answer)
    services.set_note(item=item, note="Ask the GP <about> this")
    services.save(member=UserFactory(), post=question)  # someone else's: not listed
    client = login(member)
    html = client.get(reverse("forum:saved")).content.decode()
    assert html.index("Answer to: Can I run with a cold?") < html.index(">Can I run with a cold?</a>")
    assert "Rest until the fever is gone." in html
    assert "Ask the GP &lt;about&gt; this" in html  # plain text, escaped
    assert html.count('class="card saved-item"') == 2


def test_the_header_menu_links_to_saved_for_members_only():
    assert reverse("forum:saved") in login(UserFactory()).get(reverse("forum:home")).content.decode()
    assert reverse("forum:saved") not in Client().get(reverse("forum:home")).content.decode()


def test_visitors_are_sent_to_log_in_for_the_saved_page():
    response = Client().get(reverse("forum:saved"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_note_is_saved_and_a_too_long_note_keeps_what_was_typed(question):
    member = UserFactory()
    item = services.save(member=member, post=question)
    client = login(member)
    response = client.post(reverse("forum:saved_note", args=[item.pk]), {"note": "  Bring this up  "})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.note == "Bring this up"
    too_long = "word " * 120
    response = client.post(reverse("forum:saved_note", args=[item.pk]), {"note": too_long})
    assert response.status_code == 400
    html = response.content.decode()
    assert "at most 500 characters" in html and too_long.strip() in html
    item.refresh_from_db()
    assert item.note == "Bring this up"


def test_htmx_note_change_returns_the_item_with_the_note(question):
    member = UserFactory()
    item = services.save(member=member, post=question)
    response = login(member).post(
        reverse("forum:saved_note", args=[item.pk]), {"note": "Check dose"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Your note:</strong> Check dose" in html and "Note saved." in html


def test_nobody_else_can_see_change_or_remove_a_members_saved_post_or_note(question):
    owner, other = UserFactory(), UserFactory()
    item = services.save(member=owner, post=question)
    services.set_note(item=item, note="My private worry")
    for client in (login(other), login(make_moderator())):
        assert "My private worry" not in client.get(reverse("forum:saved")).content.decode()
        note = client.post(reverse("forum:saved_note", args=[item.pk]), {"note": "changed"})
        assert note.status_code == 404
        assert client.post(reverse("forum:saved_remove", args=[item.pk])).status_code == 404
    item.refresh_from_db()
    assert item.note == "My private worry"
    anonymous = Client().post(reverse("forum:saved_remove", args=[item.pk]))
    assert anonymous.status_code == 302 and Saved.objects.filter(pk=item.pk).exists()


def test_removing_a_saved_post_takes_it_off_the_page(question):
    member = UserFactory()
    item = services.save(member=member, post=question)
    client = login(member)
    response = client.post(reverse("forum:saved_remove", args=[item.pk]), follow=True)
    assert "Removed from Saved." in response.content.decode()
    assert 'class="card saved-item"' not in response.content.decode()


def test_a_saved_post_that_is_hidden_later_shows_no_content_but_its_own_author_still_sees_theirs(question):
    member = UserFactory()
    theirs = AnswerFactory(question=question, status=Status.APPROVED, body="Soon hidden advice")
    own = AnswerFactory(question=question, author=member, status=Status.APPROVED, body="My own words")
    services.save(member=member, post=theirs)
    services.save(member=member, post=own)
    moderator = make_moderator()
    moderation.hide(moderator=moderator, item=theirs, reason="Unsafe")
    moderation.hide(moderator=moderator, item=own, reason="Unsafe")
    html = login(member).get(reverse("forum:saved")).content.decode()
    assert "Soon hidden advice" not in html and "No longer available" in html
    assert "My own words" in html and "only you can see it" in html


def test_a_saved_question_that_is_deleted_shows_no_title_even_to_its_author():
    author = UserFactory()
    question = QuestionFactory(author=author, status=Status.APPROVED, title="A title soon deleted")
    answer = AnswerFactory(question=question, status=Status.APPROVED)
    services.save(member=author, post=question)
    services.save(member=author, post=answer)
    moderation.soft_delete(moderator=make_moderator(), item=question, reason="Spam")
    html = login(author).get(reverse("forum:saved")).content.decode()
    assert "A title soon deleted" not in html and html.count("No longer available") == 2


def test_the_saved_page_pages_by_twenty_and_its_queries_do_not_grow(django_assert_max_num_queries):
    member = UserFactory()
    for _ in range(PAGE_SIZE + 5):
        question = QuestionFactory(status=Status.APPROVED)
        services.save(member=member, post=AnswerFactory(question=question, status=Status.APPROVED))
    client = login(member)
    client.get(reverse("forum:saved"))  # warm the per-process caches
    with django_assert_max_num_queries(8):
        first = client.get(reverse("forum:saved")).content.decode()
    assert first.count('class="card saved-item"') == PAGE_SIZE
    older = re.search(r'rel="next" href="\?before=(\d+)"', first).group(1)
    with django_assert_max_num_queries(8):
        second = client.get(reverse("forum:saved") + f"?before={older}").content.decode()
    assert second.count('class="card saved-item"') == 5 and 'rel="next"' not in second


def test_the_members_data_download_holds_their_saved_posts_and_deleting_the_account_erases_them(question):
    member = UserFactory()
    services.set_note(item=services.save(member=member, post=question), note="for my download")
    [entry] = privacy.export_data(member)["saved"]
    assert (entry["on"], entry["id"], entry["note"]) == ("question", question.pk, "for my download")
    for erase in privacy.ERASERS:  # what deleting the account runs (accounts.privacy.delete_account)
        erase(member)
    assert not Saved.objects.filter(member=member).exists()


@pytest.mark.parametrize("cache_seconds", [300, 0], ids=["page-cache-on", "page-cache-off"])
def test_answers_re_rendered_after_accepting_keep_the_askers_save_state(
    question, answer, settings, cache_seconds
):
    settings.PAGE_CACHE_SECONDS = cache_seconds
    services.save(member=question.author, post=answer)
    response = login(question.author).post(reverse("forum:accept", args=[answer.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert save_state(response.content.decode(), "answer", answer.pk) == ("true", "Saved")


def test_a_too_long_note_sent_with_htmx_comes_back_with_the_text_and_the_reason(question):
    member = UserFactory()
    item = services.save(member=member, post=question)
    too_long = "x" * 501
    response = login(member).post(
        reverse("forum:saved_note", args=[item.pk]), {"note": too_long}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert too_long in response.content.decode() and "at most 500 characters" in response.content.decode()
