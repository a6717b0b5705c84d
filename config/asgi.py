"""ASGI entry point: uvicorn serves this (long-lived connections for the live list of speakers)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

django_application = get_asgi_application()

# The live stream (GET /api/v1/meetings/<slug>/stream) is served without Django's request
# handling, which would hold a thread for every open stream: see agenda/live/stream.py.
from agenda.live.stream import serve_streams  # noqa: E402  (after Django is set up)

application = serve_streams(django_application)
