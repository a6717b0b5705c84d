from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from agenda.api.endpoints import api

admin.site.site_header = "Intersessional"
admin.site.site_title = "Intersessional secretariat"
admin.site.index_title = "Secretariat"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("agenda.web.urls")),
    path("", include("delegations.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # In development only, and only the secretariat's documents: statements are served by
    # the application, to whom may read them.
    urlpatterns += static(
        f"{settings.MEDIA_URL}documents/", document_root=settings.MEDIA_ROOT / "documents"
    )
