"""Media in an S3-compatible object store (a real moto server on 127.0.0.1, tests/s3_fixtures.py): avatars
are served from the store's URLs, experts' proof documents stay private and reach only moderators through
the permission-checked view. And the embedded default stays local files."""

import io

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from storages.backends.s3 import S3Storage

from accounts.models import ExpertDocument, private_storage
from community.audit.models import AuditEntry
from community.object_storage.config import storages_from_environment
from tests.accounts.test_experts import PDF_BYTES, apply, pdf
from tests.accounts.test_profile import image_bytes, profile_data
from tests.factories import QuestionFactory
from tests.s3_fixtures import anonymous_get, s3_client

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def bucket_keys(environ, bucket_variable) -> list[str]:
    listing = s3_client(environ["AWS_S3_ENDPOINT_URL"]).list_objects_v2(Bucket=environ[bucket_variable])
    return [item["Key"] for item in listing.get("Contents", [])]


def upload_avatar(member_client):
    upload = SimpleUploadedFile("me.png", image_bytes("PNG", size=(600, 400)), content_type="image/png")
    response = member_client.post(reverse("accounts:profile_edit"), profile_data(avatar_upload=upload))
    assert response.status_code == 302


# --- Avatars: public, from the store's URL ------------------------------------------------------------------


def test_avatar_uploaded_through_the_profile_form_is_served_from_the_store(
    s3_media, member_client, member, client, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    upload_avatar(member_client)
    member.refresh_from_db()
    url = member.avatar.url
    bucket = s3_media["AWS_STORAGE_BUCKET_NAME"]
    assert url.startswith(f"{s3_media['AWS_S3_ENDPOINT_URL']}/{bucket}/media/avatars/")
    assert "Signature" not in url and "X-Amz" not in url  # public files: plain, cacheable URLs
    # Anyone (no credentials) gets the photo from the store, at the size the site made.
    status, body = anonymous_get(url)
    assert status == 200
    with Image.open(io.BytesIO(body)) as served:
        assert served.size == (django_settings.AVATAR_SIZES[0],) * 2
    status, _ = anonymous_get(member.avatar_small.url)
    assert status == 200
    # The profile page links to the store, and nothing was written to the server's disk.
    assert url in client.get(reverse("people:profile", args=[member.pk])).content.decode()
    assert not (tmp_path / "media").exists()
    # The page's Content-Security-Policy lets browsers load images from the store.
    policy = client.get(reverse("people:profile", args=[member.pk]))["Content-Security-Policy"]
    assert s3_media["AWS_S3_ENDPOINT_URL"] in policy.split("img-src", 1)[1].split(";", 1)[0]


def test_replacing_the_photo_removes_the_old_one_from_the_store(
    s3_media, member_client, member, django_capture_on_commit_callbacks
):
    upload_avatar(member_client)
    member.refresh_from_db()
    first = {member.avatar.name, member.avatar_small.name}
    with django_capture_on_commit_callbacks(execute=True):
        upload_avatar(member_client)
    member.refresh_from_db()
    keys = set(bucket_keys(s3_media, "AWS_STORAGE_BUCKET_NAME"))
    assert keys == {f"media/{member.avatar.name}", f"media/{member.avatar_small.name}"}
    assert not {f"media/{name}" for name in first} & keys


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_reaches_the_store(s3_media, member_client, member):
    fake = SimpleUploadedFile("photo.jpg", b"notes about my symptoms", content_type="image/jpeg")
    response = member_client.post(reverse("accounts:profile_edit"), profile_data(avatar_upload=fake))
    assert response.status_code == 400
    assert "That file is not an image we can read" in response.content.decode()
    assert bucket_keys(s3_media, "AWS_STORAGE_BUCKET_NAME") == []


# --- Proof documents: private ---------------------------------------------------------------------------------


def test_proof_document_is_stored_privately_and_unreachable_without_permission(
    s3_media, member_client, member, client, other_member
):
    apply(member_client, [pdf("my licence.pdf")])
    document = ExpertDocument.objects.get()
    # In the private bucket, under a random name; nothing in the public one.
    assert bucket_keys(s3_media, "AWS_PRIVATE_STORAGE_BUCKET_NAME") == [document.file.name]
    assert "licence" not in document.file.name
    assert bucket_keys(s3_media, "AWS_STORAGE_BUCKET_NAME") == []
    # The object itself refuses anyone without the site's credentials...
    endpoint, bucket = s3_media["AWS_S3_ENDPOINT_URL"], s3_media["AWS_PRIVATE_STORAGE_BUCKET_NAME"]
    assert anonymous_get(f"{endpoint}/{bucket}/{document.file.name}")[0] == 403
    # ...the store gives it no URL, signed or not...
    with pytest.raises(ValueError, match="no URL"):
        document.file.url  # noqa: B018
    # ...the applicant's own page does not name where it is...
    page = member_client.get(reverse("accounts:expert_application")).content.decode()
    assert document.file.name not in page and endpoint not in page
    # ...and the download view turns away everyone but moderators.
    url = reverse("accounts:expert_document", args=[document.pk])
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    assert member_client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    assert not AuditEntry.objects.filter(action="expert_document").exists()


def test_moderator_downloads_a_proof_document_streamed_from_the_store(
    s3_media, member_client, moderator_client, moderator
):
    apply(member_client, [pdf("my licence.pdf")])
    document = ExpertDocument.objects.get()
    response = moderator_client.get(reverse("accounts:expert_document", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.filter(action="expert_document", actor=moderator).exists()


def test_a_document_missing_from_the_store_is_a_clear_404_for_the_moderator(
    s3_media, member_client, moderator_client
):
    apply(member_client, [pdf()])
    document = ExpertDocument.objects.get()
    s3_client(s3_media["AWS_S3_ENDPOINT_URL"]).delete_object(
        Bucket=s3_media["AWS_PRIVATE_STORAGE_BUCKET_NAME"], Key=document.file.name
    )
    assert moderator_client.get(reverse("accounts:expert_document", args=[document.pk])).status_code == 404


def test_hidden_content_and_anonymous_askers_never_reach_the_public_bucket(s3_media, member_client, member):
    # Only avatars go to the public store: posts (even pending or anonymous ones) write nothing there.
    QuestionFactory(author=member, title="Private worry about a lump", status="pending", is_anonymous=True)
    upload_avatar(member_client)
    keys = bucket_keys(s3_media, "AWS_STORAGE_BUCKET_NAME")
    assert keys and all(key.startswith("media/avatars/") for key in keys)
    names = [member.username, member.email, member.display_name, "lump"]
    assert not [key for key in keys for name in names if name.lower() in key.lower()]


# --- Choosing the store from the environment ------------------------------------------------------------------


def test_without_a_bucket_files_stay_on_local_disk():
    stores, origins = storages_from_environment({}, debug=True)
    assert stores["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert stores["private"]["BACKEND"].endswith("PrivateFileSystemStorage")
    assert origins == []


def test_one_bucket_keeps_private_documents_under_their_own_private_prefix():
    stores, origins = storages_from_environment(
        {"AWS_STORAGE_BUCKET_NAME": "hc", "AWS_S3_REGION_NAME": "eu-west-1"}, debug=False
    )
    assert stores["default"]["OPTIONS"]["location"] == "media"
    assert stores["default"]["OPTIONS"]["default_acl"] == "public-read"
    assert stores["private"]["OPTIONS"]["bucket_name"] == "hc"
    assert stores["private"]["OPTIONS"]["location"] == "private"
    assert stores["private"]["OPTIONS"]["default_acl"] == "private"
    assert stores["private"]["OPTIONS"]["querystring_auth"] is True
    assert "https://hc.s3.eu-west-1.amazonaws.com" in origins


def test_a_cdn_domain_is_what_pages_and_the_content_security_policy_name():
    stores, origins = storages_from_environment(
        {"AWS_STORAGE_BUCKET_NAME": "hc", "AWS_S3_CUSTOM_DOMAIN": "media.example.org", "AWS_DEFAULT_ACL": ""},
        debug=False,
    )
    assert stores["default"]["OPTIONS"]["custom_domain"] == "media.example.org"
    assert stores["default"]["OPTIONS"]["default_acl"] is None  # bucket policy instead of ACLs
    assert "custom_domain" not in stores["private"]["OPTIONS"]
    assert origins == ["https://media.example.org"]


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        (
            {"AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000", "AWS_S3_REGION_NAME": "us-east-1"},
            "http://127.0.0.1:9000/hc/media/avatars/ab-64.jpg",
        ),
        (
            {"AWS_S3_REGION_NAME": "eu-west-1"},
            "https://hc.s3.eu-west-1.amazonaws.com/media/avatars/ab-64.jpg",
        ),
        ({"AWS_S3_CUSTOM_DOMAIN": "media.example.org"}, "https://media.example.org/media/avatars/ab-64.jpg"),
    ],
)
def test_public_urls_are_plain_strings_made_without_the_s3_client(environ, expected):
    # boto3's URL builder costs about 1 ms per avatar here (0.5 s for the first in a thread).
    stores, _ = storages_from_environment({"AWS_STORAGE_BUCKET_NAME": "hc", **environ}, debug=True)
    store = S3Storage(**stores["default"]["OPTIONS"])
    assert store.url("avatars/ab-64.jpg") == expected
    assert not vars(store._connections) and not vars(store._unsigned_connections)  # no S3 client was made


def test_the_local_private_store_has_no_url_either():
    with pytest.raises(ValueError, match="no URL"):
        private_storage.url("expert-documents/x.pdf")


def test_replacing_the_photo_removes_the_old_one_from_local_disk_too(
    member_client, member, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    upload_avatar(member_client)
    with django_capture_on_commit_callbacks(execute=True):
        upload_avatar(member_client)
    member.refresh_from_db()
    on_disk = {path.name for path in (tmp_path / "media" / "avatars").iterdir()}
    assert on_disk == {member.avatar.name.rsplit("/", 1)[-1], member.avatar_small.name.rsplit("/", 1)[-1]}


def test_deleting_the_account_erases_the_photo_and_proof_documents_from_the_store(
    s3_media, member_client, member, django_capture_on_commit_callbacks
):
    upload_avatar(member_client)
    apply(member_client, [pdf()])
    assert bucket_keys(s3_media, "AWS_STORAGE_BUCKET_NAME")
    assert bucket_keys(s3_media, "AWS_PRIVATE_STORAGE_BUCKET_NAME")
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            reverse("accounts:delete_account"), {"password": "correct horse battery", "confirm": "on"}
        )
    assert response.status_code == 302
    assert bucket_keys(s3_media, "AWS_STORAGE_BUCKET_NAME") == []
    assert bucket_keys(s3_media, "AWS_PRIVATE_STORAGE_BUCKET_NAME") == []
