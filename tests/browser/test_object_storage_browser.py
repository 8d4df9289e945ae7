"""In a real browser, with media on an S3-compatible store (moto, tests/s3_fixtures.py): a member picks a
photo on their profile form, clicks Save, and their profile shows it, loaded by the browser from the store's
URL (the Content-Security-Policy allows it; nothing comes from the site's own disk)."""

import io

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _photo(tmp_path):
    path = tmp_path / "holiday.png"
    buffer = io.BytesIO()
    Image.new("RGB", (500, 300), (30, 120, 200)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_member_uploads_a_photo_and_the_browser_loads_it_from_the_store(s3_media, login, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    member = UserFactory(display_name="Robin")
    page = login(member)
    blocked = []
    page.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.goto(reverse("accounts:profile_edit"))
    page.get_by_label("Photo", exact=True).set_input_files(_photo(tmp_path))
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()

    photo = page.get_by_role("img", name="Photo of Robin")
    expect(photo).to_be_visible()
    store = f"{s3_media['AWS_S3_ENDPOINT_URL']}/{s3_media['AWS_STORAGE_BUCKET_NAME']}/media/avatars/"
    assert photo.get_attribute("src").startswith(store)
    # Decoded by the browser: the store served a real image and the page's policy let it in.
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    assert photo.evaluate("img => img.naturalWidth") == settings.AVATAR_SIZES[0]
    assert blocked == []
    assert not (tmp_path / "media").exists()
