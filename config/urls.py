from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from agenda.api import api

admin.site.site_header = "Intersessional"
admin.site.site_title = "Intersessional secretariat"
admin.site.index_title = "Secretariat"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("agenda.urls")),
    path("", include("delegations.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
