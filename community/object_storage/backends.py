"""The private stores (local and S3) and the lazy handle model fields keep; see the package docstring."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, cached_property, empty
from storages.backends.s3 import S3Storage

NO_URL = "Private files have no URL; serve them through a permission-checked view."


class PrivateFileSystemStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT and without any URL. The location is read from settings on use, so each
    deployment and each test run can point it elsewhere."""

    @cached_property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError(NO_URL)


class PrivateS3Storage(S3Storage):
    """Private objects in the object store; no URL, signed or not (see the module docstring)."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError(NO_URL)


class PrivateStorage(LazyObject):
    """Whatever STORAGES["private"] is now. A model field keeps one storage object for the life of the
    process; this handle lets settings (and tests' override_settings) choose the store behind it."""

    def __init__(self):
        super().__init__()
        _handles.append(self)

    def _setup(self):
        self._wrapped = storages["private"]

    def deconstruct(self):
        # Migrations record the handle, never the store behind it (that is deployment configuration).
        return (f"{type(self).__module__}.{type(self).__qualname__}", (), {})


_handles: list[PrivateStorage] = []


def _forget_private_store(*, setting, **kwargs):
    if setting == "STORAGES":
        for handle in _handles:
            handle._wrapped = empty


setting_changed.connect(_forget_private_store)
