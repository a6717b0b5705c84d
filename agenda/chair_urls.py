"""The chair's console, the room screen, the webcast banner, the interpreters' view, and the
live stream they follow.

The stream and the server's clock sit under api/v1/ beside the JSON API: config/urls.py tries
the API's routes first and falls through to these when none matches. (config/asgi.py serves the
stream itself without going through Django; the route here names it and serves it elsewhere.)
"""

from django.urls import path

from . import chair_views, stream

urlpatterns = [
    path("meetings/<slug:slug>/chair/", chair_views.chair_home, name="chair_home"),
    path(
        "meetings/<slug:slug>/chair/items/<int:pk>/",
        chair_views.chair_console,
        name="chair_console",
    ),
    path(
        "meetings/<slug:slug>/chair/items/<int:pk>/move/", chair_views.chair_move, name="chair_move"
    ),
    path(
        "meetings/<slug:slug>/chair/items/<int:pk>/<slug:action>/",
        chair_views.chair_act,
        name="chair_act",
    ),
    path("meetings/<slug:slug>/room/", chair_views.room_screen, name="room_screen"),
    path("meetings/<slug:slug>/room/banner/", chair_views.room_banner, name="room_banner"),
    path("meetings/<slug:slug>/interpreters/", chair_views.interpreters, name="interpreters"),
    path("api/v1/meetings/<slug:slug>/stream", stream.meeting_stream, name="meeting_stream"),
    path("api/v1/time", chair_views.server_time, name="server_time"),
]
