from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from forum.views import healthz

# A suspended or banned member sees why and until when (403); rate limits answer with a 429 page.
handler403 = "forum.safety_views.permission_denied"
handler429 = "forum.safety_views.too_many_requests"  # used by allauth's login and sign-up limits

admin.site.site_header = f"{settings.SITE_NAME} administration"
admin.site.site_title = f"{settings.SITE_NAME} admin"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("members/", include("accounts.urls")),
    path("", include("forum.discovery.urls")),  # robots.txt, sitemaps, feeds, manifest, offline page
    path("", include("forum.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
