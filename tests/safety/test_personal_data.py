"""Personal data in posts: detection (with false-positive checks), the warning, removal, moderators' note."""

import io
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from community.audit.models import AuditEntry
from forum.models import Answer, Question, Status
from forum.moderation import appeals, flags
from forum.safety import pii
from tests.factories import AnswerFactory, QuestionFactory, category, make_expert

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("Call me on 555-123-4567 tonight", "phone", "555-123-4567"),
        ("my number is (555) 123-4567", "phone", "(555) 123-4567"),
        ("UK mobile +44 7700 900123", "phone", "+44 7700 900123"),
        ("write to jane.doe+health@example.org please", "email", "jane.doe+health@example.org"),
        ("I live at 42 Elm Street, Springfield", "address", "42 Elm Street"),
        ("clinic at 1600 Pennsylvania Avenue", "address", "1600 Pennsylvania Avenue"),
        ("my MRN is 00123456", "record", "00123456"),
        ("Medical record number: A1234567", "record", "A1234567"),
        ("NHS number 943 476 5919", "record", "943 476 5919"),
        ("SSN 123-45-6789", "record", "123-45-6789"),
    ],
)
def test_personal_data_is_found(text, kind, found):
    findings = pii.find(text)
    assert [(f.kind, f.text) for f in findings] == [(kind, found)]


@pytest.mark.parametrize(
    "text",
    [
        "Take 200 mg twice a day with food.",
        "My blood pressure was 150/95 this morning, and 120/80 last week.",
        "I was diagnosed in 2019 and walk 10,000 steps a day.",
        "HbA1c 6.5%, LDL 3.2 mmol/L, vitamin D 1000 IU.",
        "Sleep 7-9 hours; dose 0.5-1.0 mg; ratio 3:1.",
        "I walk 3 miles down the road every day.",
        "On 2024-01-15 I had surgery; follow-up on 12/25/2024.",
        "Call 988 if you are in crisis.",
        "I take 2 Advil at 10 pm.",
        "Temperature 38.5 C, pulse 72 bpm, weight 85.5 kg.",
    ],
)
def test_ordinary_health_numbers_are_not_personal_data(text):
    assert pii.find(text) == []


def test_scrub_replaces_each_finding_and_keeps_the_rest():
    text = "Call 555-123-4567 or mail me@example.com. MRN 1234567."
    assert pii.scrub(text) == "Call [removed] or mail [removed]. MRN [removed]."


def ask_data(**overrides):
    data = {
        "title": "Which specialist should I see for migraines?",
        "body": "My GP said to call the clinic at 555-123-4567, is a neurologist the right choice?",
        "category": category("conditions").pk,
        "tags": "",
        "accept_terms": "on",
    }
    data.update(overrides)
    return data


def test_post_with_a_phone_number_gets_a_warning_and_nothing_is_saved(member_client):
    response = member_client.post(reverse("forum:ask"), ask_data())
    page = response.content.decode()
    assert response.status_code == 400
    assert "Personal details in your post" in page
    assert "a phone number: <mark>555-123-4567</mark>" in page
    assert 'name="personal_data" value="remove"' in page
    assert 'name="personal_data" value="keep"' in page
    assert "is a neurologist the right choice?" in page  # nothing lost
    assert not Question.objects.exists()


def test_remove_them_for_me_replaces_the_details(member_client):
    response = member_client.post(reverse("forum:ask"), ask_data(personal_data="remove"))
    assert response.status_code == 302
    question = Question.objects.get()
    assert "555-123-4567" not in question.body
    assert "call the clinic at [removed]" in question.body
    assert question.review_notes == []


def test_post_anyway_keeps_them_and_moderators_see_the_warning(member_client, moderator_client, settings):
    settings.FORUM_TRUSTED_SKIP_REVIEW = False
    member_client.post(reverse("forum:ask"), ask_data(personal_data="keep"))
    question = Question.objects.get()
    assert "555-123-4567" in question.body
    assert question.status == Status.PENDING
    queue = moderator_client.get(reverse("forum:moderation_queue")).content.decode()
    assert "Personal data left in by the author: a phone number" in queue


def test_answers_are_checked_too(member_client):
    question = QuestionFactory()
    url = reverse("forum:answer_create", args=[question.pk])
    response = member_client.post(
        url, {"body": "Email me at helper@example.net for tips.", "accept_terms": "on"}
    )
    assert response.status_code == 400
    assert "an email address" in response.content.decode()
    assert not Answer.objects.exists()
    member_client.post(
        url,
        {"body": "Email me at helper@example.net for tips.", "accept_terms": "on", "personal_data": "remove"},
    )
    assert Answer.objects.get().body == "Email me at [removed] for tips."


def test_personal_data_kept_sends_even_an_expert_answer_to_review(client):

    expert = make_expert()
    client.force_login(expert)
    question = QuestionFactory()
    client.post(
        reverse("forum:answer_create", args=[question.pk]),
        {"body": "Book at our clinic: 555-987-6543.", "accept_terms": "on", "personal_data": "keep"},
    )
    assert Answer.objects.get().status == Status.PENDING


def _jpeg_with_gps() -> bytes:

    image = Image.new("RGB", (300, 300), (200, 80, 80))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
    exif[0x8825] = gps  # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    data = buffer.getvalue()
    with Image.open(io.BytesIO(data)) as check:
        assert check.getexif().get_ifd(0x8825)  # the fixture really carries GPS data
    return data


def test_uploaded_avatar_loses_gps_exif(member_client, member, settings, tmp_path):

    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("holiday.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    response = member_client.post(
        reverse("accounts:profile_edit"),
        {"display_name": member.display_name, "location": "", "bio": "", "avatar_upload": upload},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    for field in (member.avatar, member.avatar_small):
        with Image.open(field.path) as stored:
            exif = stored.getexif()
            assert not exif.get_ifd(0x8825)
            assert 0x010F not in exif
            assert "exif" not in stored.info


def test_avatar_is_validated_by_content_not_by_name(member_client, member, settings, tmp_path):

    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("photo.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    response = member_client.post(
        reverse("accounts:profile_edit"),
        {"display_name": member.display_name, "location": "", "bio": "", "avatar_upload": fake},
    )
    assert response.status_code in (200, 400)
    member.refresh_from_db()
    assert not member.avatar


class _FormControls(HTMLParser):
    """For each <form> of a page: the names of its submit buttons and of its other controls."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[set, list]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append((set(), []))
        elif self.forms and attrs.get("name") and tag in ("input", "button", "select", "textarea"):
            buttons, others = self.forms[-1]
            is_button = tag == "button" and attrs.get("type", "submit") == "submit"
            (buttons.add if is_button else others.append)(attrs["name"])


def _names_shared_with_a_submit_button(html: str) -> list[str]:
    parser = _FormControls()
    parser.feed(html)
    return [name for buttons, others in parser.forms for name in others if name in buttons]


def test_no_posting_form_carries_another_input_named_like_its_warning_buttons(member_client, member):
    """The browser sends the clicked button's value and any other control of the same name; the last wins."""
    question = QuestionFactory(author=member)
    answer = AnswerFactory(author=member, question=question)
    pages = [
        member_client.post(reverse("forum:ask"), ask_data()),
        member_client.post(
            reverse("forum:answer_create", args=[QuestionFactory().pk]),
            {"body": "Call the clinic on 555-123-4567 for tips.", "accept_terms": "on"},
        ),
        member_client.post(reverse("forum:question_edit", args=[question.pk]), ask_data()),
        member_client.post(
            reverse("forum:answer_edit", args=[answer.pk]), {"body": "Call the clinic on 555-123-4567."}
        ),
    ]
    for response in pages:
        html = response.content.decode()
        assert "Personal details in your post" in html
        assert _names_shared_with_a_submit_button(html) == []


def test_no_form_on_pages_with_named_submit_buttons_shadows_them(member_client, member, moderator_client):
    """The same pattern elsewhere: the moderation queue, flagged content, an appeal and a question page."""

    question = QuestionFactory()
    AnswerFactory(question=question)
    QuestionFactory(status=Status.PENDING)
    flags.flag(flagger=member, item=QuestionFactory(), reason="spam")
    entry = AuditEntry.objects.create(action="warn", subject=member, reason="Be kind.")
    appeal = appeals.open_appeal(member=member, entry=entry, body="Please reconsider.")
    pages = [
        moderator_client.get(reverse("forum:moderation_queue")),
        moderator_client.get(reverse("forum:flagged")),
        moderator_client.get(appeal.get_absolute_url()),
        member_client.get(appeal.get_absolute_url()),
        moderator_client.get(question.get_absolute_url()),
        member_client.get(question.get_absolute_url()),
    ]
    for response in pages:
        assert response.status_code == 200
        assert _names_shared_with_a_submit_button(response.content.decode()) == []
