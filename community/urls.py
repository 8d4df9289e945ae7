from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from forum.views import healthz

admin.site.site_header = "Health Community administration"
admin.site.site_title = "Health Community admin"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("members/", include("accounts.urls")),
    path("", include("forum.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
