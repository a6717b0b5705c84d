"""Helpers shared by the tests: requests for the floor, the list as it stands, entries of the
record, statements, what a reader sees of a page. Each is written once here and imported.

The `floor` they take is the small CCM meeting of `tests/agenda/conftest.py`.
"""

import html as html_lib
import re
from datetime import UTC, datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from agenda.models import FloorRequest
from agenda.speakers import services
from agenda.speakers.selectors import speakers_list
from agenda.statements.services import statement_create
from delegations.models import Participation
from tests.documents import pdf_bytes

# --- the list of speakers ---------------------------------------------------------------------


def ask(floor, code, kind="statement", *, item=None, user=None, **extra) -> FloorRequest:
    """`code` asks for the floor on 2(c) (or `item`), through the service: by its focal point,
    or, for a point of order (raised in the room), by the chair who puts it on the list."""
    if user is None:
        user = floor.chair if kind == "point_of_order" else floor.user(code)
    return services.floor_request_create(
        item=item or floor.item, delegation=floor.d[code], kind=kind, user=user, **extra
    )


def waiting(floor) -> list[str]:
    """Who waits on 2(c), in speaking order: the delegations' codes; a statement for a group
    as "ITA for EU"; a speaker without a delegation as "guest-<id>"."""
    return [
        f"{entry.speaker_code} for {entry.on_behalf_of.code}"
        if entry.on_behalf_of_id
        else entry.speaker_code
        for entry in speakers_list(floor.item).waiting
    ]


def version(floor) -> int:
    """The version of 2(c)'s list as stored now."""
    floor.item.refresh_from_db()
    return floor.item.list_version


# --- the record -------------------------------------------------------------------------------

BASE = datetime(2025, 4, 7, 8, 0, tzinfo=UTC)
"""10:00 in Geneva on the first day of the meeting."""


def spoken(
    item,
    delegation,
    *,
    minute: int,
    seconds: int,
    paused: int = 0,
    speaker: str = "",
    language: str = "en",
    kind: str = "statement",
) -> FloorRequest:
    """A delivered entry: began `minute` minutes after 10:00, spoke `seconds` (pauses apart)."""
    category = Participation.objects.get(meeting=item.meeting, delegation=delegation).category
    started = BASE + timedelta(minutes=minute)
    return FloorRequest.objects.create(
        item=item,
        delegation=delegation,
        category=category,
        kind=kind,
        status="spoken",
        speaker_name=speaker,
        language=language,
        requested_at=started - timedelta(minutes=30),
        started_at=started,
        ended_at=started + timedelta(seconds=seconds + paused),
        paused_total=timedelta(seconds=paused),
    )


def hand_in(floor, code, *, item=None, data=None, name="s.pdf", language="en", published=True):
    """The delegation's focal point hands in a statement (through the service)."""
    return statement_create(
        item=item or floor.item,
        delegation=floor.d[code],
        user=floor.user(code),
        language=language,
        file=SimpleUploadedFile(name, data or pdf_bytes()),
        is_published=published,
    )


def many(floor, count: int) -> list[FloorRequest]:
    """`count` delivered entries on the item, taking turns among the delegations, each with a
    published statement handed in (one per delegation) and a delegate's name."""
    codes = list(floor.d)
    entries = []
    for number in range(count):
        code = codes[number % len(codes)]
        entries.append(
            spoken(
                floor.item,
                floor.d[code],
                minute=number * 3,
                seconds=60 + number,
                speaker=f"Speaker {code}",
            )
        )
    for code in codes:
        hand_in(floor, code)
    return entries


# --- files ------------------------------------------------------------------------------------


def csv(*lines: str) -> bytes:
    """A CSV file of these lines."""
    return ("\n".join(lines) + "\n").encode()


# --- pages ------------------------------------------------------------------------------------

INLINE_TAG = re.compile(r"</?(a|abbr|b|em|i|small|span|strong|time)\b[^>]*>", re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")


def text(page) -> str:
    """What a reader sees of a page (its HTML, or a response): inline tags out, other tags as
    spaces, entities decoded, whitespace collapsed."""
    html = page if isinstance(page, str) else page.content.decode()
    return " ".join(html_lib.unescape(TAG.sub(" ", INLINE_TAG.sub("", html))).split())
