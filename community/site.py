"""Where the site lives and what it is called, from settings (SITE_URL, SITE_NAME): one place that turns a
path into the absolute link an email carries, and keeps django.contrib.sites' row (read by allauth for its
emails and the authenticator's label) in step with the settings."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.models import Site


def absolute_url(path: str = "/") -> str:
    """`path` on SITE_URL: emails link to the site's own address, whatever host the request came in on."""
    bits = urlsplit(path)
    if bits.scheme or bits.netloc:  # already absolute (e.g. built from the request): keep only the path
        path = (
            bits.path
            + (f"?{bits.query}" if bits.query else "")
            + (f"#{bits.fragment}" if bits.fragment else "")
        )
    return settings.SITE_URL.rstrip("/") + (path if path.startswith("/") else f"/{path}")


def site_domain() -> str:
    """SITE_URL's host and port, as the Site row's domain."""
    return urlsplit(settings.SITE_URL).netloc


def sync_site(**kwargs) -> None:
    """Make the Site row (SITE_ID) name and domain follow SITE_NAME and SITE_URL; run after every migrate,
    so django.contrib.sites' "example.com" default never reaches an email."""

    using = kwargs.get("using", "default")
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": site_domain(), "name": settings.SITE_NAME}
    )
