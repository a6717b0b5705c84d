"""Write the demo meeting to the database: what is missing is created, nothing is reverted.

Every row is found by its natural key (slug, symbol, code, username, …). A row that exists is
left as it is: the secretariat may have edited a title, deactivated an account, changed a
password, corrected a category. A missing row is created, with its values and its relations,
**unless it belongs to or links rows that all existed already**: then its absence is the
secretariat's doing (a sitting or an item deleted from the meeting, a focal point unlinked, a
delegation removed from the meeting) and it stays absent. So a fresh database gets the whole
demo, a second run changes nothing (same rows, same ids), and a row the data adds later (a
delegation, an account) is created with its relations.

The groups and the speakers without a delegation belong to the meeting alone: a meeting
without any gets the demo's (a meeting loaded before the demo had them too); once it has some,
they are the secretariat's.

Passwords are set only on the accounts created now. Existing accounts keep their password,
their state and their sessions.

The content is written in the six languages (`languages`): the States' names from ISO 3166
(`delegations.state_names`), the rest from `translations`, `agenda_translations` and
`organisations`. A row that exists gets the languages it lacks while its English is still the
demo's.
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.db import models, transaction
from django.utils import translation

from agenda.models import AgendaItem, MandateReference, Presenter
from agenda.roles import INTERPRETERS_GROUP
from delegations.imports import import_file
from delegations.models import (
    Delegate,
    Delegation,
    FocalPoint,
    Group,
    Guest,
    ParticipantCategory,
    Participation,
)
from delegations.state_names import state_names
from meetings.models import Document, Meeting, Sitting
from meetings.roles import SECRETARIAT_GROUP

from . import agenda_translations, organisations
from . import ccm2025 as data
from . import lap as lap_data
from . import session as session_data
from . import translations as tr
from .languages import ENGLISH, fill_translations, others, with_translations


class DemoLoadError(Exception):
    """The demo could not be loaded (the States list did not import, or the GICHD's category
    has no room between the Red Cross and the CMC)."""


@dataclass
class DemoSummary:
    meeting: Meeting
    sittings: int
    items: int
    documents: int
    delegations: dict[str, int]
    groups: int
    guests: int
    #: The demo accounts created now (with the password given, if any) and those that existed
    #: (left as they are).
    accounts_created: list[str]
    accounts_kept: list[str]
    password_set: bool


@dataclass
class Rows:
    """The rows of this run: which were created now, and the rule for the rest."""

    created: set[tuple[type, int]] = field(default_factory=set)

    def new(self, *objects: models.Model | None) -> bool:
        """Whether any of `objects` was created by this run."""
        return any(o is not None and (type(o), o.pk) in self.created for o in objects)

    def get_or_create(self, model: type[models.Model], defaults=None, **key) -> models.Model:
        """The row with this natural key; created (with `defaults`) when missing."""
        row, created = model._default_manager.get_or_create(defaults=defaults, **key)
        if created:
            self.created.add((model, row.pk))
        return row

    def part_of(self, owners, model: type[models.Model], defaults=None, **key):
        """The row that belongs to or links `owners` (a meeting's sitting, a delegation's
        participation): created when missing only if one of its owners was created now, else
        left absent (None)."""
        if any(owner is None for owner in owners):
            return None
        row = model._default_manager.filter(**key).first()
        if row is None and self.new(*owners):
            row = self.get_or_create(model, defaults=defaults, **key)
        return row

    def link(self, related_manager, *others) -> None:
        """Add `others` to a many-to-many relation when either end was created now."""
        owner = related_manager.instance
        related_manager.add(*(o for o in others if o is not None and self.new(owner, o)))


def states_file() -> Path:
    return Path(apps.get_app_config("delegations").path) / "data" / data.STATES_FILE


def demo_load(*, password: str | None = None) -> DemoSummary:
    # In English: the original column of a translated field is written in the language
    # active when a row is saved (`languages`).
    with translation.override(ENGLISH):
        return _demo_load(password=password)


@transaction.atomic
def _demo_load(*, password: str | None) -> DemoSummary:
    rows = Rows()
    meeting = rows.get_or_create(
        Meeting,
        slug=data.MEETING_SLUG,
        defaults=with_translations(Meeting, data.MEETING, tr.MEETING),
    )
    fill_translations(meeting, data.MEETING, tr.MEETING)
    sittings = {}
    for key, values in data.SITTINGS.items():
        translated = {"title": tr.SITTINGS[key]}
        sittings[key] = rows.part_of(
            [meeting],
            Sitting,
            meeting=meeting,
            date=values["date"],
            start_time=values["start_time"],
            defaults=with_translations(Sitting, values, translated),
        )
        fill_translations(sittings[key], values, translated)
    documents = {}
    for values in data.DOCUMENTS:
        translated = {"title": tr.DOCUMENTS[values["symbol"]]}
        documents[values["symbol"]] = rows.get_or_create(
            Document,
            symbol=values["symbol"],
            defaults=with_translations(Document, values, translated),
        )
        fill_translations(documents[values["symbol"]], values, translated)

    _load_states(rows, meeting)
    _gichd_category(rows)
    delegations = [(*row, Delegation.Kind.ORGANIZATION) for row in data.ORGANIZATIONS]
    delegations += [(*row, Delegation.Kind.STATE) for row in data.OTHER_STATES]
    for code, name, category, kind in delegations:
        translated = {
            "name": others(state_names(code, name))
            if kind == Delegation.Kind.STATE
            else organisations.ORGANIZATIONS[code]
        }
        delegation = rows.get_or_create(
            Delegation,
            code=code,
            defaults=with_translations(Delegation, {"name": name, "kind": kind}, translated),
        )
        fill_translations(delegation, {"name": name}, translated)
        rows.part_of(
            [meeting, delegation],
            Participation,
            meeting=meeting,
            delegation=delegation,
            defaults={"category": category},
        )
    delegations = {d.code: d for d in Delegation.objects.all()}

    related = {"documents": documents, "sittings": sittings, "delegations": delegations}
    item = _item(rows, meeting, None, data.ITEM, order=data.ITEM["order"], **related)
    subitems = {
        values["label"]: item and _item(rows, meeting, item, values, order=order, **related)
        for order, values in enumerate(data.SUBITEMS, start=1)
    }

    participations = {
        p.delegation.code: p for p in meeting.participations.select_related("delegation")
    }
    for code, people in data.DELEGATES.items():
        for person in people:
            rows.part_of(
                [participations.get(code)],
                Delegate,
                participation=participations.get(code),
                name=person["name"],
                defaults=person,
            )

    _groups(rows, meeting, {code: p.delegation for code, p in participations.items()})
    _guests(rows, meeting)

    users = _accounts(rows, password)
    rows.link(meeting.presiding_officers, *(users[name] for name in data.PRESIDING_ACCOUNTS))
    for username, code in data.FOCAL_POINTS:
        user, delegation = users[username], delegations.get(code)
        rows.part_of([user, delegation], FocalPoint, user=user, delegation=delegation)
    for username, label in data.FACILITATORS:
        if subitems[label] is not None:
            rows.link(subitems[label].facilitators, users[username])
    for label, code, kind in data.PRESENTERS:
        subitem, delegation = subitems[label], delegations.get(code)
        rows.part_of(
            [subitem, delegation], Presenter, item=subitem, delegation=delegation, kind=kind
        )

    lap_data.write()
    session_data.write(meeting, subitems)

    counts = Counter(meeting.participations.values_list("category", flat=True))
    return DemoSummary(
        meeting=meeting,
        sittings=meeting.sittings.count(),
        items=meeting.agenda_items.count(),
        documents=len(documents),
        delegations=dict(counts),
        groups=meeting.groups.count(),
        guests=meeting.guests.count(),
        accounts_created=[name for name, user in users.items() if rows.new(user)],
        accounts_kept=[name for name, user in users.items() if not rows.new(user)],
        password_set=password is not None,
    )


def _load_states(rows: Rows, meeting: Meeting) -> None:
    """The States of the list: those that are not delegations yet go through the delegations
    import (created with their participation); those that are take part in the meeting if it
    was created now."""
    path = states_file()
    content = path.read_bytes()
    states = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    existing = {
        d.code: d
        for d in Delegation.objects.filter(code__in=[state["iso3"].upper() for state in states])
    }
    missing = [state for state in states if state["iso3"].upper() not in existing]
    if missing:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(states[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(missing)
        report = import_file(
            "delegations", out.getvalue().encode(), file_name=path.name, meeting=meeting
        )
        if not report.ok:
            raise DemoLoadError(
                "The States list did not import: " + "; ".join(str(e) for e in report.errors)
            )
        imported = Participation.objects.filter(
            meeting=meeting, delegation__code__in=[state["iso3"].upper() for state in missing]
        )
        for participation in imported:
            rows.created.add((Participation, participation.pk))
            rows.created.add((Delegation, participation.delegation_id))
    for state in states:
        delegation = existing.get(state["iso3"].upper())
        fill_translations(
            delegation,
            {"name": state["name"]},
            {"name": others(state_names(state["iso3"], state["name"]))},
        )
        rows.part_of(
            [meeting, delegation],
            Participation,
            meeting=meeting,
            delegation=delegation,
            defaults={"category": state["category"]},
        )


def _groups(rows: Rows, meeting: Meeting, taking_part: dict[str, Delegation]) -> None:
    """The meeting's groups, their own delegation and their members among the delegations
    taking part. A meeting created now, or one without any group (loaded before the demo had
    groups), gets them all; once it has some, they are the secretariat's: a group deleted stays
    deleted, a member removed stays removed; a delegation created now joins its groups."""
    fresh = rows.new(meeting) or not meeting.groups.exists()
    for values in data.GROUPS:
        translated = {"name": organisations.GROUPS[values["code"]]}
        group = Group.objects.filter(meeting=meeting, code=values["code"]).first()
        if group is None and fresh:
            group = rows.get_or_create(
                Group,
                meeting=meeting,
                code=values["code"],
                defaults=with_translations(
                    Group,
                    {
                        "name": values["name"],
                        "delegation": taking_part.get(values["delegation"] or ""),
                        "takes_precedence": values["takes_precedence"],
                    },
                    translated,
                ),
            )
        fill_translations(group, values, translated)
        if group is not None:
            rows.link(group.members, *(taking_part.get(code) for code in values["members"]))


def _guests(rows: Rows, meeting: Meeting) -> None:
    """The meeting's speakers without a delegation: created when the meeting was created now
    or has none (the chair's console adds others by name); once it has some, they are the
    secretariat's and the chair's."""
    fresh = rows.new(meeting) or not meeting.guests.exists()
    for values in data.GUESTS:
        translated = organisations.GUESTS[values["name"]]
        guest = Guest.objects.filter(meeting=meeting, name=values["name"]).first()
        if guest is None and fresh:
            guest = rows.get_or_create(
                Guest,
                meeting=meeting,
                name=values["name"],
                defaults=with_translations(Guest, values, translated),
            )
        fill_translations(guest, values, translated)


def _gichd_category(rows: Rows) -> ParticipantCategory:
    """The GICHD's category: when missing, created halfway between the Red Cross and the CMC
    (rule 1.2); when it exists, left where the secretariat has it."""
    translated = organisations.GICHD_CATEGORY
    current = ParticipantCategory.objects.filter(code=data.GICHD_CATEGORY["code"]).first()
    if current is not None:
        fill_translations(current, data.GICHD_CATEGORY, translated)
        return current
    above, below = (
        ParticipantCategory.objects.get(code=code).rank for code in data.GICHD_RANKED_BETWEEN
    )
    if below - above < 2:
        raise DemoLoadError(
            f"No rank is free between the Red Cross ({above}) and the CMC ({below}) for the "
            "GICHD's category: change their ranks in the admin."
        )
    return rows.get_or_create(
        ParticipantCategory,
        code=data.GICHD_CATEGORY["code"],
        defaults=with_translations(
            ParticipantCategory,
            {**data.GICHD_CATEGORY, "rank": (above + below) // 2},
            translated,
        ),
    )


def _item(
    rows: Rows, meeting, parent, values, *, order, documents, sittings, delegations
) -> AgendaItem | None:
    """An item of the meeting (a subitem of `parent`), with its coordinators, sittings and
    mandate; None when the secretariat deleted it."""
    owners = [meeting] if parent is None else [meeting, parent]
    translated = agenda_translations.item(values["label"])
    item = rows.part_of(
        owners,
        AgendaItem,
        meeting=meeting,
        parent=parent,
        label=values["label"],
        defaults=with_translations(
            AgendaItem,
            {
                "order": order,
                "title": values["title"],
                "annotation": values["annotation"],
                "format": values["format"],
            },
            translated,
        ),
    )
    if item is None:
        return None
    fill_translations(item, values, translated)
    rows.link(item.coordinators, *(delegations.get(code) for code in values["coordinators"]))
    rows.link(item.sittings, *(sittings[key] for key in values["sittings"]))
    for symbol, paragraph in values["mandate"]:
        rows.part_of(
            [item, documents[symbol]],
            MandateReference,
            item=item,
            document=documents[symbol],
            paragraph=paragraph,
        )
    return item


def _accounts(rows: Rows, password: str | None) -> dict:
    """The demo accounts. An account created now gets the password (without one: an unusable
    password); an account that exists keeps its password, its state and its sessions."""
    user_model = get_user_model()
    group = rows.get_or_create(AuthGroup, name=SECRETARIAT_GROUP)
    if rows.new(group):
        group.permissions.set(
            Permission.objects.filter(content_type__app_label__in=data.SECRETARIAT_APPS)
        )
    # Hashed once for all accounts: hashing is slow on purpose, and these are demo accounts.
    hashed = make_password(password)
    users = {}
    for values in data.ACCOUNTS:
        username = values["username"]
        user = rows.get_or_create(
            user_model,
            username=username,
            defaults={
                **values,
                "email": f"{username}@{data.EMAIL_DOMAIN}",
                "is_staff": username in data.STAFF_ACCOUNTS,
                "password": hashed,
            },
        )
        if username in data.STAFF_ACCOUNTS:
            rows.link(user.groups, group)
        if username in data.INTERPRETER_ACCOUNTS:
            rows.link(user.groups, rows.get_or_create(AuthGroup, name=INTERPRETERS_GROUP))
        users[username] = user
    return users
