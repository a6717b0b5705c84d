"""ASGI entry point: uvicorn serves this (long-lived connections for the live list of speakers)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_asgi_application()
