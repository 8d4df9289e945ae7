from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from community.health import healthz
from community.metrics.endpoint import metrics

# A suspended or banned member sees why and until when (403); rate limits answer with a 429 page.
handler403 = "forum.safety.views.permission_denied"
handler429 = "forum.safety.views.too_many_requests"  # used by allauth's login and sign-up limits

admin.site.site_header = f"{settings.SITE_NAME} administration"
admin.site.site_title = f"{settings.SITE_NAME} admin"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("members/", include("forum.people.urls")),
    path("members/", include("accounts.urls")),
    path("notifications/", include("community.notifications.urls")),
    path("api/v1/", include("forum.api.urls")),  # the read API (forum.api)
    path("embed/", include("forum.embed.urls")),  # the "Ask our experts" box (forum.embed)
    path("", include("forum.discovery.urls")),  # robots.txt, sitemaps, feeds, manifest, offline page
    path("", include("forum.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
