"""One page of a sitemap section, written directly rather than through Django's sitemap template.

The sections, their items, locations, dates and paging are Django's sitemaps framework
(forum.discovery.sitemaps); only the XML is written here: Django's template took most of a minute for a
page of 50,000 URLs on this machine (README, "Search engines, feeds and installing"). The index is
Django's own view.
"""

from xml.sax.saxutils import escape

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from forum.discovery.sitemaps import SITEMAPS

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
)
TAIL = "</urlset>\n"


def urlset(sitemap, page) -> str:
    """The <urlset> of page `page` of `sitemap` (a Sitemap instance)."""
    base = f"{sitemap.get_protocol()}://{sitemap.get_domain()}"
    changefreq = f"<changefreq>{sitemap.changefreq}</changefreq>" if sitemap.changefreq else ""
    has_lastmod = hasattr(sitemap, "lastmod")
    parts = [HEAD]
    for item in sitemap.paginator.page(page).object_list:
        lastmod = sitemap.lastmod(item) if has_lastmod else None
        parts.append(
            f"<url><loc>{escape(base + sitemap._location(item))}</loc>"
            + (f"<lastmod>{lastmod:%Y-%m-%d}</lastmod>" if lastmod else "")
            + f"{changefreq}</url>\n"
        )
    parts.append(TAIL)
    return "".join(parts)


@require_GET
def sitemap_section(request, section: str):
    if section not in SITEMAPS:
        raise Http404("No such sitemap section.")
    try:
        body = urlset(SITEMAPS[section](), request.GET.get("p", 1))
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404("No such sitemap page.") from exc
    response = HttpResponse(body, content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"  # as Django's own sitemap views
    return response
