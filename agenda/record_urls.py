"""The record: statements from the floor, exports, statistics, the Lausanne Action Plan."""

from django.urls import path

from . import record_views as views

RECORD = "meetings/<slug:slug>/record/"

urlpatterns = [
    path(RECORD, views.record_index, name="record"),
    path(f"{RECORD}items/<int:pk>/", views.record_item, name="record_item"),
    path(f"{RECORD}items/<int:pk>/print/", views.record_item_print, name="record_item_print"),
    path(f"{RECORD}delegations/<str:code>/", views.record_delegation, name="record_delegation"),
    path(f"{RECORD}entries/<int:pk>/tags/", views.record_tag, name="record_tag"),
    path(f"{RECORD}export/<str:what>.<str:fmt>", views.record_export, name="record_export"),
    path(f"{RECORD}statistics/", views.statistics, name="record_statistics"),
    path(
        f"{RECORD}statistics.<str:fmt>",
        views.statistics_export,
        name="record_statistics_export",
    ),
    path(f"{RECORD}lap/", views.lap_overview, name="record_lap"),
    path(f"{RECORD}lap/<slug:area>.<str:fmt>", views.lap_export, name="record_lap_export"),
    path("meetings/<slug:slug>/programme.ics", views.programme_calendar, name="programme_ics"),
]
