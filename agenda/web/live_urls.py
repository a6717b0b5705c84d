"""The live stream and the server's clock: the same address whatever the language of the page
that listens (config/urls.py includes them without a language prefix). Neither speaks: the
stream says which list changed, and each page fetches its own regions at its own address, in
its own language.

They sit under api/v1/ beside the JSON API: config/urls.py tries the API's routes first and
falls through to these when none matches. (config/asgi.py serves the stream itself without
going through Django; the route here names it and serves it elsewhere.)
"""

from django.urls import path

from agenda.live import stream

from . import screens

urlpatterns = [
    path("api/v1/meetings/<slug:slug>/stream", stream.meeting_stream, name="meeting_stream"),
    path("api/v1/time", screens.server_time, name="server_time"),
]
