"""A member's public profile and its editing, avatar uploads included, at the HTTP level."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import User
from forum.models import Status
from tests.factories import AnswerFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def profile_data(**overrides):
    data = {
        "display_name": "Cindy R.",
        "location": "Texas",
        "show_location": "on",
        "bio": "Runner, two kids, learning to sleep again.",
    }
    data.update(overrides)
    return data


def image_bytes(fmt="PNG", size=(600, 400), exif=None) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 80, 40))
    if exif is not None:
        image.save(buffer, format=fmt, exif=exif)
    else:
        image.save(buffer, format=fmt)
    return buffer.getvalue()


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (30.0, 16.0, 2.0)
    gps[3] = "W"
    gps[4] = (97.0, 44.0, 34.0)
    return image_bytes("JPEG", exif=exif)


def test_member_edits_display_name_location_and_bio(member_client, member):
    response = member_client.post(reverse("accounts:profile_edit"), profile_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("people:profile", args=[member.pk])
    member.refresh_from_db()
    assert (member.display_name, member.location, member.show_location) == ("Cindy R.", "Texas", True)
    assert member.bio == "Runner, two kids, learning to sleep again."
    page = member_client.get(response["Location"]).content.decode()
    assert "Cindy R." in page
    assert "Runner, two kids" in page


def test_profile_shows_location_only_when_the_member_chose_to(client, member):
    member.location, member.show_location = "Texas", False
    member.save()
    url = reverse("people:profile", args=[member.pk])
    assert "Texas" not in client.get(url).content.decode()

    member.show_location = True
    member.save()
    assert "Texas" in client.get(url).content.decode()


def test_hidden_location_is_not_shown_next_to_a_question(client, member_client, member):
    member_client.post(reverse("accounts:profile_edit"), profile_data(location="Texas", show_location=""))
    question = QuestionFactory(author=member)
    assert "Texas" not in client.get(question.get_absolute_url()).content.decode()
    assert "Texas" not in client.get("/").content.decode()

    # Choosing to show it shows it at once, also on pages cached for anonymous visitors.
    member_client.post(reverse("accounts:profile_edit"), profile_data(location="Texas", show_location="on"))
    shown = ', <span class="location">Texas</span>'
    assert shown in client.get(question.get_absolute_url()).content.decode()
    assert shown in client.get("/").content.decode()


def test_profile_never_shows_the_email(client, member_client, member, moderator_client):
    url = reverse("people:profile", args=[member.pk])
    for viewer in (client, member_client, moderator_client):
        assert member.email not in viewer.get(url).content.decode()


def test_profile_edit_requires_login(client):
    response = client.get(reverse("accounts:profile_edit"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_empty_display_name_is_refused_and_the_rest_is_kept(member_client, member):
    response = member_client.post(reverse("accounts:profile_edit"), profile_data(display_name="  "))
    page = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in page
    assert "Runner, two kids, learning to sleep again." in page
    member.refresh_from_db()
    assert member.location == ""


def test_avatar_is_stored_at_each_configured_size(member_client, member, settings):
    upload = SimpleUploadedFile("me.png", image_bytes("PNG", size=(900, 500)), content_type="image/png")
    response = member_client.post(reverse("accounts:profile_edit"), profile_data(avatar_upload=upload))
    assert response.status_code == 302
    member.refresh_from_db()
    large, small = settings.AVATAR_SIZES
    with Image.open(member.avatar.path) as stored:
        assert stored.size == (large, large)
        assert stored.format == "JPEG"
    with Image.open(member.avatar_small.path) as stored:
        assert stored.size == (small, small)
    assert member.avatar.name.startswith("avatars/")
    assert "me" not in member.avatar.name.rsplit("/", 1)[-1]  # the upload's name is not kept
    assert (
        member.avatar.url in member_client.get(reverse("people:profile", args=[member.pk])).content.decode()
    )


def test_avatar_is_judged_by_content_not_by_file_name(member_client, member):
    disguised = SimpleUploadedFile("holiday.txt", image_bytes("PNG"), content_type="text/plain")
    response = member_client.post(reverse("accounts:profile_edit"), profile_data(avatar_upload=disguised))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.avatar


def test_text_file_named_jpg_is_refused_with_a_clear_message_and_typed_values_kept(member_client, member):
    fake = SimpleUploadedFile("photo.jpg", b"just some notes, not a photo", content_type="image/jpeg")
    response = member_client.post(
        reverse("accounts:profile_edit"), profile_data(display_name="Cindy Typed", avatar_upload=fake)
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "That file is not an image we can read. Use a JPEG, PNG or WebP photo." in page
    assert 'value="Cindy Typed"' in page
    assert 'value="Texas"' in page
    member.refresh_from_db()
    assert not member.avatar
    assert member.display_name != "Cindy Typed"


def test_image_in_a_format_we_do_not_take_is_refused(member_client, member):
    gif = SimpleUploadedFile("anim.gif", image_bytes("GIF"), content_type="image/gif")
    response = member_client.post(reverse("accounts:profile_edit"), profile_data(avatar_upload=gif))
    assert response.status_code == 400
    assert "Use a JPEG, PNG or WebP photo." in response.content.decode()


def test_oversized_avatar_is_refused(member_client, member, settings):
    settings.AVATAR_MAX_BYTES = 1000
    big = SimpleUploadedFile("big.png", image_bytes("PNG", size=(400, 400)) + b"\0" * 2000)
    response = member_client.post(reverse("accounts:profile_edit"), profile_data(avatar_upload=big))
    assert response.status_code == 400
    assert "larger than 2 MB" in response.content.decode()


def test_avatar_loses_exif_and_gps_data(member_client, member):
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as check:  # the fixture really carries GPS data
        assert check.getexif().get_ifd(0x8825)
    upload = SimpleUploadedFile("gps.jpg", original, content_type="image/jpeg")
    member_client.post(reverse("accounts:profile_edit"), profile_data(avatar_upload=upload))
    member.refresh_from_db()
    for field in (member.avatar, member.avatar_small):
        with Image.open(field.path) as stored:
            assert not stored.getexif()
            assert "exif" not in stored.info
        with open(field.path, "rb") as raw:
            assert b"Exif" not in raw.read()


def test_removing_the_avatar_deletes_the_files(member_client, member, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("me.png", image_bytes(), content_type="image/png")
    member_client.post(reverse("accounts:profile_edit"), profile_data(avatar_upload=upload))
    member.refresh_from_db()
    paths = [member.avatar.path, member.avatar_small.path]

    with django_capture_on_commit_callbacks(execute=True):  # old files go only once the save commits
        response = member_client.post(reverse("accounts:profile_edit"), profile_data(remove_avatar="on"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.avatar
    assert not any(os.path.exists(path) for path in paths)


def test_profile_lists_only_public_named_posts_to_others(client, member):
    public = QuestionFactory(author=member, title="A public question about my knees")
    QuestionFactory(author=member, title="A pending question about my back", status=Status.PENDING)
    QuestionFactory(author=member, title="An anonymous question about my mood", is_anonymous=True)
    AnswerFactory(author=member, question=QuestionFactory(title="Someone asked about naps"))
    AnswerFactory(
        author=member, question=QuestionFactory(title="Someone asked about tea"), status=Status.PENDING
    )
    page = client.get(reverse("people:profile", args=[member.pk])).content.decode()
    assert public.title in page
    assert "A pending question about my back" not in page
    assert "An anonymous question about my mood" not in page
    assert "Someone asked about naps" in page
    assert "Someone asked about tea" not in page


def test_deactivated_member_has_no_profile_page(client):
    gone = UserFactory(is_active=False)
    assert client.get(reverse("people:profile", args=[gone.pk])).status_code == 404
    assert User.objects.filter(pk=gone.pk).exists()
