"""The "Unanswered" list, the tag index, and the promise under all of search: pending, rejected, hidden and
deleted content and anonymous askers' names never show in any output, count or index entry."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from forum.models import Question, Status
from forum.moderation import actions as moderation
from forum.moderation import review
from forum.posting import services
from tests.factories import UserFactory, category, make_expert
from tests.search.helpers import answered, published, titles

pytestmark = pytest.mark.django_db

SECRET = "zebrafinch"  # a word only non-public content holds
ANON_NAME = "Quentin Privatesurname"


def plant_non_public(moderator):
    """One of each kind of content nobody but its author or a moderator may see, all holding SECRET and
    tagged SECRET; and a public anonymous question whose asker's name must stay unknown."""

    def asked(title):
        return services.ask(
            author=UserFactory(),
            title=title,
            body=f"About {SECRET}.",
            category=category("living-well"),
            tags=[SECRET],
            accepted_terms=True,
        )

    asked(f"Pending {SECRET} question")
    rejected = asked(f"Rejected {SECRET} question")
    review.reject(moderator=moderator, item=rejected, reason="Please rephrase.")
    hidden = published(moderator, f"Hidden {SECRET} question", f"About {SECRET}.", tags=[SECRET])
    moderation.hide(moderator=moderator, item=hidden, reason="Under review.")
    deleted = published(moderator, f"Deleted {SECRET} question", f"About {SECRET}.", tags=[SECRET])
    moderation.soft_delete(moderator=moderator, item=deleted, reason="Spam.")
    public = published(moderator, "Public question about sleep", "Nothing secret.", tags=["sleep"])
    expert_answer = answered(moderator, public, f"Hidden expert advice on {SECRET}.", author=make_expert())
    moderation.hide(moderator=moderator, item=expert_answer, reason="Checking a claim.")
    services.answer(
        author=make_expert(mfa=False), question=public, body=f"Pending {SECRET} answer.", accepted_terms=True
    )
    anonymous = published(
        moderator,
        "Anonymous question about sleep",
        "Please keep my name off this.",
        author=UserFactory(display_name=ANON_NAME),
        anonymous=True,
        tags=["sleep"],
    )
    return public, anonymous


SEARCHES = [
    {"q": SECRET},
    {"q": SECRET, "sort": "newest"},
    {"q": SECRET, "sort": "votes"},
    {"q": f"{SECRET} or sleep"},
    {"q": "sleep"},
    {"q": "sleep", "sort": "votes"},
    {"tag": "sleep"},
    {"tag": "sleep", "expert": "on"},
    {"category": "living-well"},
    {"category": "living-well", "unanswered": "on"},
]


def test_no_search_output_count_or_index_entry_holds_non_public_content(client, moderator):
    public, anonymous = plant_non_public(moderator)
    search = reverse("forum:search")
    for params in SEARCHES:
        for viewer in (None, UserFactory(), moderator):  # search is the public index, for moderators too
            if viewer:
                client.force_login(viewer)
            response = client.get(search, params)
            html = re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)
            shown = set(titles(response))
            assert shown <= {public.title, anonymous.title}, params
            if params.get("q"):
                html = html.replace(params["q"], "")  # the words typed, echoed in the form and headings
            assert SECRET not in html, params
            if viewer is not moderator:  # moderators see who asked, marked "posted anonymously"
                assert ANON_NAME not in html, params
            client.logout()
    # The tag of non-public questions: refused as unknown in the filter, absent from the index of tags.
    assert "No question is tagged" in client.get(search, {"tag": SECRET}).content.decode()
    tags_page = client.get(reverse("forum:tags")).content.decode()
    assert SECRET not in tags_page
    unanswered = client.get(reverse("forum:unanswered")).content.decode()
    assert SECRET not in unanswered and ANON_NAME not in unanswered
    assert_index_holds_only(public.pk, anonymous.pk)


def assert_index_holds_only(*public_ids):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT rowid FROM forum_question_fts")
            indexed = {row[0] for row in cursor.fetchall()}
            cursor.execute("SELECT rowid FROM forum_question_fts WHERE forum_question_fts MATCH %s", [SECRET])
            assert cursor.fetchall() == []  # the public question's hidden expert answer left its entry too
    else:
        indexed = set(Question.objects.filter(search_vector__isnull=False).values_list("pk", flat=True))
        assert not Question.objects.filter(search_vector=SECRET).exists()
    assert indexed == set(public_ids)


def test_tag_counts_count_public_questions_only_and_follow_moderation(client, moderator):
    kept = published(moderator, "Sleep and exercise", tags=["sleep", "exercise"])
    removed = published(moderator, "Sleep and tea", tags=["sleep"])
    services.ask(
        author=UserFactory(), title="Pending sleep", body="x" * 20, category=category("living-well"),
        tags=["sleep"], accepted_terms=True,
    )  # fmt: skip
    page = client.get(reverse("forum:tags"))
    assert [(t["tag__name"], t["count"]) for t in page.context["tags"]] == [("sleep", 2), ("exercise", 1)]
    assert "2 questions" in page.content.decode() and "1 question<" in page.content.decode()
    moderation.hide(moderator=moderator, item=removed, reason="Duplicate.")
    page = client.get(reverse("forum:tags"))  # the cached counts were replaced by the change
    assert [(t["tag__name"], t["count"]) for t in page.context["tags"]] == [("exercise", 1), ("sleep", 1)]
    assert kept.pk  # still public, still counted


def test_unanswered_lists_public_questions_without_a_public_answer_newest_first(client, moderator, settings):
    settings.FORUM_PAGE_SIZE = 2
    answered_q = published(moderator, "Answered one")
    answered(moderator, answered_q, "Here is an answer.")
    only_pending_answer = published(moderator, "Only a pending answer")
    services.answer(
        author=UserFactory(), question=only_pending_answer, body="Awaiting review.", accepted_terms=True
    )
    first = published(moderator, "Unanswered first")
    second = published(moderator, "Unanswered second")
    url = reverse("forum:unanswered")
    page = client.get(url)
    shown = [q.title for q in page.context["page"].items]
    assert shown == [second.title, first.title]
    cursor = page.context["page"].next_cursor
    assert f"?before={cursor}" in page.content.decode()
    older = client.get(url, {"before": cursor})
    assert [q.title for q in older.context["page"].items] == [only_pending_answer.title]
    assert Question.objects.get(pk=answered_q.pk).status == Status.APPROVED


def test_a_tag_only_non_public_questions_carry_has_no_page(client, moderator):
    """A tag's page shows its name: for a tag only a pending question carries, that name would tell the
    public what someone asked about. It answers 404 until a public question carries it."""
    pending = services.ask(
        author=UserFactory(),
        title="Is a rash after starting lamotrigine dangerous?",
        body="A rash appeared two weeks after I started.",
        category=category(),
        tags=["lamotrigine-rash"],
        accepted_terms=True,
    )
    assert pending.status == Status.PENDING
    assert client.get(reverse("forum:tag", args=["lamotrigine-rash"])).status_code == 404
    review.approve(moderator=moderator, item=pending)
    page = client.get(reverse("forum:tag", args=["lamotrigine-rash"]))
    assert page.status_code == 200
    assert "Is a rash after starting lamotrigine dangerous?" in page.content.decode()
