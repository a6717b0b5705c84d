"""The shapes of the JSON API v1: what it reads and what it answers (see docs/api.md).

Input schemas forbid unknown fields, so a misspelt `version` is refused rather than silently
ignored (which would skip the check for a stale list). Values the services judge (the kind,
the language, the place of a move, the reason) are plain strings and numbers here: the
services say why a value is refused, with the field it belongs to. Every string must be text a
database can keep (`Text`: no NUL character, no unpaired surrogate such as JSON's "\\ud800"),
else 422 with its field.
"""

from datetime import date, datetime
from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, StrictInt
from pydantic_core import PydanticCustomError

from agenda.speakers.capacity import MAX_CO_SPONSORS
from agenda.speakers.checks import storable
from delegations.models import Delegation, Group

NOT_TEXT = "not_text"
"""The type of the validation error of a string that is not text."""


def _text(value: str) -> str:
    if not storable(value):
        raise PydanticCustomError(NOT_TEXT, "holds characters that are not text")
    return value


Text = Annotated[str, AfterValidator(_text)]
# Codes are as long as the rows they name may hold: a longer one names nothing (422).
DelegationCode = Annotated[
    str, Field(max_length=Delegation._meta.get_field("code").max_length), AfterValidator(_text)
]
GroupCode = Annotated[
    str, Field(max_length=Group._meta.get_field("code").max_length), AfterValidator(_text)
]


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


# --- input -----------------------------------------------------------------------------------


class VersionIn(Input):
    version: StrictInt | None = Field(
        None, description="The list version the action is based on; 409 if the list moved on."
    )


class FloorRequestIn(Input):
    delegation: DelegationCode | None = Field(
        None,
        description="The delegation's code, e.g. CHL or ICRC. Either this or `guest`.",
    )
    guest: StrictInt | None = Field(
        None,
        description="The id of one of the meeting's speakers without a delegation "
        "(GET /meetings/{slug}/guests/), put on the list by the chair. Either this or "
        "`delegation`.",
    )
    kind: Text = Field(
        description="point_of_order, coordinator_remarks, extension_request, "
        "invited_presentation, statement, response, right_of_reply or closing_remarks."
    )
    on_behalf_of: GroupCode | None = Field(
        None,
        description="The code of the group the delegation speaks for (GET "
        '/meetings/{slug}/groups/); "" in its own name; left out or null: for the group '
        "whose own delegation it is (the European Union's), if any, for a statement or a "
        "right of reply, else in its own name.",
    )
    co_sponsors: list[DelegationCode] = Field(
        default_factory=list,
        max_length=MAX_CO_SPONSORS,
        description="The codes of the delegations joining the statement the delegation "
        f"reads (a joint statement): at most {MAX_CO_SPONSORS}, each taking part in the "
        "meeting.",
    )
    presence: Text = Field(
        "room", description="Where the speaker delivers from: room, remote or recorded."
    )
    speaker_name: Text = ""
    language: Text = Field("", description="ar, zh, en, fr, ru or es; empty if not said.")
    note: Text = Field("", description="A note to the chair.")


class MoveIn(VersionIn):
    position: StrictInt | None = Field(
        None,
        description="The place to move to, counted from 1 over the whole waiting list (points "
        "of order included), as `position` in the list shows it.",
    )
    after: StrictInt | None = Field(None, description="Right after this waiting entry (its id).")
    to: Text | None = Field(None, description="`top` or `end`.")
    reason: Text = Field("", description="Why the speaker is moved (required).")


class PresenceIn(VersionIn):
    presence: Text = Field(description="room, remote or recorded (a pre-recorded video).")


class TimeLimitIn(VersionIn):
    kind: Text = Field(description="The kind of request, e.g. statement or right_of_reply.")
    seconds: StrictInt = Field(
        description="Its time limit from now on, in whole seconds (10 to 7200)."
    )


class ExtendIn(VersionIn):
    seconds: StrictInt = Field(
        description="Seconds added to the speaker's limit; negative takes back time granted."
    )


class NextIn(VersionIn):
    end_paused: bool = Field(
        False, description="End the current speech even though it is paused (else 409)."
    )


# --- output ----------------------------------------------------------------------------------


class MeetingOut(Schema):
    slug: str
    title: str
    short_title: str
    start_date: date
    end_date: date
    venue: str
    room: str
    time_zone: str
    status: str


class PresenterOut(Schema):
    delegation: str
    kind: str


class AgendaItemOut(Schema):
    id: int
    code: str
    title: str
    parent: int | None
    coordinators: list[str]
    presenters: list[PresenterOut]
    is_open: bool
    version: int


class DelegationOut(Schema):
    code: str
    name: str


class GroupRefOut(Schema):
    code: str
    name: str


class SpeakerOut(Schema):
    name: str
    title: str
    organisation: str


class GroupOut(Schema):
    code: str
    name: str
    delegation: str | None = Field(
        description="The group's own delegation (the European Union's), its code; else null."
    )
    takes_precedence: bool = Field(
        description="Statements on behalf of the group come first among the statements, "
        "unless the speaking rules turn that off."
    )
    members: list[str] = Field(description="The member delegations' codes, in name order.")


class GuestOut(Schema):
    id: int
    name: str
    title: str
    organisation: str


class EntryOut(Schema):
    id: int
    delegation: DelegationOut | None = Field(
        description="The delegation that speaks; null for a speaker without a delegation."
    )
    speaker: SpeakerOut | None = Field(
        description="A speaker without a delegation (the President, a panellist…); null for "
        "a delegation's entry."
    )
    on_behalf_of: GroupRefOut | None = Field(
        description="The group the delegation speaks for; null: in its own name."
    )
    co_sponsors: list[str] = Field(
        description="A joint statement's co-sponsors, their codes in name order; else empty."
    )
    category: str = Field(
        description="The delegation's category when it asked; empty for a speaker without "
        "a delegation."
    )
    kind: str
    status: str
    presence: str = Field(description="room, remote or recorded (a pre-recorded video).")
    speaker_name: str
    language: str
    requested_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    paused: bool
    duration_seconds: float | None = Field(
        description="Time spoken, pauses excluded: so far while speaking, final once ended."
    )
    time_limit_seconds: int = Field(
        description="The limit that applied to the speech (kept when it began, extension "
        "included); while waiting, the limit it would get now."
    )
    extension_seconds: int = Field(description="Extra time the chair granted the speech.")
    overtime_seconds: float | None = Field(
        description="Time spoken over the limit, exactly (0 within it): so far while "
        "speaking; null before the speech began."
    )
    position: int | None = Field(description="Place in the waiting list from 1; else null.")
    pinned: bool = Field(description="The chair moved the entry to its place.")
    added_by_chair: bool = Field(
        description="The chair put the entry on the list (a raised nameplate), rather than "
        "the delegation's own request."
    )


class EntryChangedOut(EntryOut):
    version: int = Field(description="The list's version after the change.")


class SpeakersListOut(Schema):
    item: int
    version: int
    is_open: bool = Field(description="Delegations may add themselves now.")
    opens_at: datetime | None
    closes_at: datetime | None
    time_limits: dict[str, int] = Field(
        description="The limit each kind of request gets if its speech begins now (seconds)."
    )
    current: EntryOut | None
    interrupted: EntryOut | None
    waiting: list[EntryOut]
    done: list[EntryOut]
    absent: list[EntryOut]


class ErrorOut(Schema):
    detail: str
    field: str | None


class StaleOut(ErrorOut):
    version: int
    list: SpeakersListOut
