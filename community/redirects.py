"""Where to send a person next: a redirect target taken from the request (`next`) is followed only when it
stays on this site. Forum views and allauth's adapter (accounts.adapters) both ask here, so the rule is one."""

from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_redirect(request, url: str | None) -> bool:
    """Whether `url` leads to this site: a path ("/q/12/#answer-3") or a full URL of the request's own host,
    over https when the request came over https. "//evil.example", "/\\evil.example", "https:evil.example"
    and the like are not."""
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return False
    # A bare "foo" would be read by redirect() as a view name: ours are paths or this host's URLs.
    return url.startswith("/") or url.lower().startswith(("http://", "https://"))


def safe_next(request, fallback: str, *, param: str = "next") -> str:
    """The request's `next` (form field, else query string) when it is safe, else `fallback`."""
    wanted = request.POST.get(param) or request.GET.get(param)
    return wanted if is_safe_redirect(request, wanted) else fallback
