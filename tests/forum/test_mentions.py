"""Mentions: `@Name#12` in a post links to the member's profile, and tells them once when the post is public
(at approval, not while pending), only if they may see it, never its author; the autocomplete suggests the
question's participants first and never an anonymous asker as one."""

import pytest
from django.urls import reverse

from community.notifications.models import Notification
from forum.markdown import render
from forum.mentions.parsing import mention_text
from forum.mentions.services import MAX_NOTIFIED, notify_mentions
from forum.models import Status
from forum.moderation import review
from forum.posting import services
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, established_member

pytestmark = pytest.mark.django_db


def _profile(member) -> str:
    return reverse("people:profile", args=[member.pk])


def _mentions_of(member):
    return Notification.objects.filter(recipient=member, kind=Notification.Kind.MENTIONED)


# --- Links ------------------------------------------------------------------------------------------------


def test_a_mention_links_to_the_members_profile_by_their_name():
    ann = UserFactory(display_name="Ann Lee")
    html = render(f"Thanks {mention_text(ann)}, that helped.")
    assert f'<a href="{_profile(ann)}"' in html and ">@Ann Lee</a>" in html
    assert mention_text(ann) == f"@AnnLee#{ann.pk}"


def test_a_bare_name_links_when_exactly_one_member_has_it():
    ann = UserFactory(display_name="Ann Lee")
    assert _profile(ann) in render("As @annlee said.")
    UserFactory(display_name="Ann Lee")  # now two: who is meant is unclear, so nobody is linked
    assert "<a" not in render("As @annlee said.")


def test_code_emails_unknown_names_and_inactive_members_stay_plain_text():
    ann = UserFactory(display_name="Ann")
    gone = UserFactory(display_name="Gone", is_active=False)
    handle = mention_text(ann)
    html = render(
        f"`{handle}` and\n\n    {handle}\n\nmail ann@example.org, @Nobody#999999, {mention_text(gone)}"
    )
    assert "<a" not in html
    assert f"<code>{handle}</code>" in html and "ann@example.org" in html and "@Nobody#999999" in html


# --- Notifications ------------------------------------------------------------------------------------------


def _answer(author, question, body, capture):
    with capture(execute=True):
        return services.answer(author=author, question=question, body=body, accepted_terms=True)


def test_a_pending_answer_notifies_at_approval_not_before(
    member, moderator, django_capture_on_commit_callbacks
):
    ann = UserFactory(display_name="Ann")
    question = QuestionFactory()
    answer = _answer(
        member, question, f"I agree with {mention_text(ann)} here.", django_capture_on_commit_callbacks
    )
    assert answer.status == Status.PENDING and not _mentions_of(ann).exists()
    with django_capture_on_commit_callbacks(execute=True):
        review.approve(moderator=moderator, item=answer)
    note = _mentions_of(ann).get()
    assert note.url == answer.get_absolute_url() and member.public_name in note.text


def test_notified_once_never_the_author_and_not_again_after_an_edit(django_capture_on_commit_callbacks):
    author, ann, bob = established_member(), UserFactory(display_name="Ann"), UserFactory(display_name="Bob")
    question = QuestionFactory()
    body = f"Ask {mention_text(ann)} and {mention_text(ann)} and me {mention_text(author)}."
    with django_capture_on_commit_callbacks(execute=True):
        answer = AnswerFactory(author=author, question=question, body=body)
        notify_mentions(answer)
        notify_mentions(answer)
    assert _mentions_of(ann).count() == 1 and not _mentions_of(author).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.apply_edit(answer, editor=author, reason="", body=body + f" Also {mention_text(bob)}.")
    assert _mentions_of(ann).count() == 1 and _mentions_of(bob).count() == 1


def test_nobody_is_told_of_a_post_they_may_not_see(django_capture_on_commit_callbacks):
    ann = UserFactory(display_name="Ann")
    question = QuestionFactory(status=Status.PENDING, approved_at=None)
    answer = AnswerFactory(question=question, body=f"Hi {mention_text(ann)}")
    with django_capture_on_commit_callbacks(execute=True):
        notify_mentions(answer)  # approved, but its question is not public
    assert not _mentions_of(ann).exists()
    public = AnswerFactory(body=f"Hi {mention_text(ann)}")
    with django_capture_on_commit_callbacks(execute=True):
        notify_mentions(public)
        public.question.status = Status.HIDDEN  # hidden before the notifications go out
        public.question.save()
    assert not _mentions_of(ann).exists()


def test_at_most_ten_members_are_told_per_post(django_capture_on_commit_callbacks):
    many = [UserFactory() for _ in range(MAX_NOTIFIED + 2)]
    with django_capture_on_commit_callbacks(execute=True):
        answer = AnswerFactory(body=" ".join(mention_text(m) for m in many))
        notify_mentions(answer)
    assert Notification.objects.filter(kind=Notification.Kind.MENTIONED).count() == MAX_NOTIFIED


def test_a_question_names_its_anonymous_author_as_anonymous(django_capture_on_commit_callbacks):
    ann = UserFactory(display_name="Ann")
    with django_capture_on_commit_callbacks(execute=True):
        question = QuestionFactory(is_anonymous=True, body=f"What do you think, {mention_text(ann)}?")
        notify_mentions(question)
    note = _mentions_of(ann).get()
    assert "Anonymous member" in note.text and question.author.public_name not in note.text


# --- Autocomplete -------------------------------------------------------------------------------------------


def _suggest(client, q, question=None):
    params = {"q": q} | ({"question": question.pk} if question else {})
    return client.get(reverse("forum:mention_suggest"), params)


def _names(response):
    return [row["name"] for row in response.json()["results"]]


def test_participants_come_first_and_an_anonymous_asker_is_never_one(member_client):
    asker = UserFactory(display_name="Sam Asker")
    question = QuestionFactory(author=asker, is_anonymous=True)
    UserFactory(display_name="Sa Abbot")
    answerer = UserFactory(display_name="Sam Zed")
    AnswerFactory(question=question, author=answerer)
    AnswerFactory(question=question, author=asker)  # the anonymous asker replying
    AnswerFactory(question=question, author=UserFactory(display_name="Sally Pending"), status=Status.PENDING)
    names = _names(_suggest(member_client, "sa", question))
    assert names[0] == "Sam Zed"
    assert names[1:] == sorted(names[1:])  # the rest by name: the anonymous asker is not moved up
    rows = _suggest(member_client, "sa", question).json()["results"]
    assert rows[0]["insert"] == f"@SamZed#{answerer.pk}"


def test_a_named_asker_is_a_participant(member_client):
    asker = UserFactory(display_name="Zoe Asker")
    UserFactory(display_name="Zoe Able")
    question = QuestionFactory(author=asker)
    assert _names(_suggest(member_client, "zo", question)) == ["Zoe Asker", "Zoe Able"]
    assert _names(_suggest(member_client, "zo")) == ["Zoe Able", "Zoe Asker"]


def test_suggestions_are_bounded_and_only_active_members(member_client, django_assert_max_num_queries):
    for n in range(12):
        UserFactory(display_name=f"Kim {n:02d}")
    UserFactory(display_name="Kim Gone", is_active=False)
    question = QuestionFactory()
    with django_assert_max_num_queries(8):
        names = _names(_suggest(member_client, "kim" + "x" * 0, question))
    assert len(names) == 8 and "Kim Gone" not in names
    assert _names(_suggest(member_client, "")) == []
    assert _suggest(member_client, "k" * 5000).status_code == 200


def test_suggestions_need_a_login(client):
    response = _suggest(client, "a")
    assert response.status_code == 302 and "login" in response["Location"]
