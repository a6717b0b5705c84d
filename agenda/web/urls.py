from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="meeting_detail"),
    path(
        "meetings/<slug:slug>/items/<int:pk>/", views.agenda_item_detail, name="agenda_item_detail"
    ),
    # A delegation's pages: request the floor, follow its place, hand in statements.
    path("", include("agenda.floor_urls")),
    # The chair's console, the room screen, the interpreters' view, the live stream.
    path("", include("agenda.chair_urls")),
    # The record: statements from the floor, exports, statistics.
    path("", include("agenda.record_urls")),
]
