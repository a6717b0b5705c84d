"""The chair's console, the room screen, the webcast banner, the interpreters' view, and the
live stream they follow.

The stream and the server's clock sit under api/v1/ beside the JSON API: config/urls.py tries
the API's routes first and falls through to these when none matches.
"""

from django.urls import path

from . import stream

urlpatterns = [
    path("api/v1/meetings/<slug:slug>/stream", stream.meeting_stream, name="meeting_stream"),
]
