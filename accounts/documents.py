"""Experts' proof documents: checked by content (never by name or the browser's type), size-limited, and
stored under random names in private storage, outside MEDIA_ROOT, where no URL reaches them."""

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

from .models import ExpertDocument

MAX_DOCUMENTS = 5
PDF_MAGIC = b"%PDF-"
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def _display_name(upload) -> str:
    return os.path.basename(upload.name or "document")[-200:]


def sniff_document(upload) -> str:
    """The content type of a PDF, JPEG or PNG upload, read from its bytes; ValidationError otherwise."""
    name = _display_name(upload)
    if upload.size > settings.EXPERT_DOCUMENT_MAX_BYTES:
        limit = filesizeformat(settings.EXPERT_DOCUMENT_MAX_BYTES)
        raise ValidationError(f"“{name}” is larger than {limit}. Please upload a smaller file.")
    try:
        upload.seek(0)
        if upload.read(len(PDF_MAGIC)) == PDF_MAGIC:
            return "application/pdf"
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        image_format = None
    finally:
        upload.seek(0)
    if image_format not in IMAGE_TYPES:
        raise ValidationError(f"“{name}” is not a PDF, JPEG or PNG file we can read.")
    return IMAGE_TYPES[image_format]


def check_documents(uploads) -> list[tuple[object, str]]:
    """Every upload with its sniffed type; one ValidationError listing every problem."""
    uploads = [upload for upload in uploads or [] if upload]
    if len(uploads) > MAX_DOCUMENTS:
        raise ValidationError({"documents": f"Attach at most {MAX_DOCUMENTS} documents."})
    checked, problems = [], []
    for upload in uploads:
        try:
            checked.append((upload, sniff_document(upload)))
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise ValidationError({"documents": problems})
    return checked


def store_documents(application, checked) -> list:
    """Save already-checked uploads for `application`; the stored name is random (no personal data)."""

    documents = []
    for upload, content_type in checked:
        document = ExpertDocument(
            application=application,
            original_name=_display_name(upload),
            content_type=content_type,
            size=upload.size,
        )
        upload.seek(0)
        document.file.save(f"{uuid.uuid4().hex}{EXTENSIONS[content_type]}", upload, save=False)
        document.save()
        documents.append(document)
    return documents


def delete_files(documents) -> None:
    for document in documents:
        document.file.storage.delete(document.file.name)
