"""Shared by the tests of notes, proposals, documents and feeds: the demo's accounts and items."""

from django.contrib.auth import get_user_model

from agenda.models import AgendaItem, FloorRequest

SLUG = "ccm-intersessional-2025"


def account(username):
    return get_user_model().objects.get(username=username)


def item(label):
    return AgendaItem.objects.select_related("parent", "meeting").get(
        meeting__slug=SLUG, parent__label="2", label=label
    )


def entry(label, code):
    return FloorRequest.objects.select_related("item__meeting", "item__parent").get(
        item=item(label), delegation__code=code, status="spoken"
    )
