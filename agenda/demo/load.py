"""Write the demo meeting to the database, idempotently.

Every row is found by its natural key (slug, symbol, code, username, …) and updated in place, so
a second run changes nothing: same rows, same ids. Many-to-many relations are `set()`, which
keeps the rows that are already right.
"""

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from agenda.models import AgendaItem, MandateReference, Presenter
from delegations.imports import import_file
from delegations.models import (
    Delegate,
    Delegation,
    FocalPoint,
    ParticipantCategory,
    Participation,
)
from meetings.models import Document, Meeting, Sitting
from meetings.roles import SECRETARIAT_GROUP

from . import ccm2025 as data
from . import lap as lap_data


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
    accounts: list[str]
    password_set: bool


def states_file() -> Path:
    return Path(apps.get_app_config("delegations").path) / "data" / data.STATES_FILE


@transaction.atomic
def demo_load(*, password: str | None = None) -> DemoSummary:
    meeting, _ = Meeting.objects.update_or_create(slug=data.MEETING_SLUG, defaults=data.MEETING)
    sittings = {
        key: Sitting.objects.update_or_create(
            meeting=meeting,
            date=values["date"],
            start_time=values["start_time"],
            defaults=values,
        )[0]
        for key, values in data.SITTINGS.items()
    }
    documents = {
        values["symbol"]: Document.objects.update_or_create(
            symbol=values["symbol"], defaults=values
        )[0]
        for values in data.DOCUMENTS
    }

    _load_states(meeting)
    _gichd_category()
    for code, name, category in data.ORGANIZATIONS:
        delegation, _ = Delegation.objects.update_or_create(
            code=code, defaults={"name": name, "kind": Delegation.Kind.ORGANIZATION}
        )
        Participation.objects.update_or_create(
            meeting=meeting, delegation=delegation, defaults={"category": category}
        )
    delegations = {d.code: d for d in Delegation.objects.all()}

    related = {"documents": documents, "sittings": sittings, "delegations": delegations}
    item = _item(meeting, None, data.ITEM, order=data.ITEM["order"], **related)
    subitems = {
        values["label"]: _item(meeting, item, values, order=order, **related)
        for order, values in enumerate(data.SUBITEMS, start=1)
    }

    participations = {
        p.delegation.code: p for p in meeting.participations.select_related("delegation")
    }
    for code, people in data.DELEGATES.items():
        for person in people:
            Delegate.objects.update_or_create(
                participation=participations[code], name=person["name"], defaults=person
            )

    users = _accounts(password)
    meeting.presiding_officers.add(*(users[name] for name in data.PRESIDING_ACCOUNTS))
    for username, code in data.FOCAL_POINTS:
        FocalPoint.objects.get_or_create(user=users[username], delegation=delegations[code])
    for username, label in data.FACILITATORS:
        subitems[label].facilitators.add(users[username])
    for label, code, kind in data.PRESENTERS:
        Presenter.objects.get_or_create(
            item=subitems[label], delegation=delegations[code], kind=kind
        )

    lap_data.write()

    counts = Counter(meeting.participations.values_list("category", flat=True))
    return DemoSummary(
        meeting=meeting,
        sittings=len(sittings),
        items=1 + len(subitems),
        documents=len(documents),
        delegations=dict(counts),
        accounts=list(users),
        password_set=password is not None,
    )


def _load_states(meeting: Meeting) -> None:
    path = states_file()
    report = import_file("delegations", path.read_bytes(), file_name=path.name, meeting=meeting)
    if not report.ok:
        raise DemoLoadError(
            "The States list did not import: " + "; ".join(str(e) for e in report.errors)
        )


def _gichd_category() -> ParticipantCategory:
    """The GICHD's category, ranked between the Red Cross and the CMC (rule 1.2): kept where it
    is when it stands there already, else put halfway between them."""
    above, below = (
        ParticipantCategory.objects.get(code=code).rank for code in data.GICHD_RANKED_BETWEEN
    )
    current = ParticipantCategory.objects.filter(code=data.GICHD_CATEGORY["code"]).first()
    if current is not None and above < current.rank < below:
        rank = current.rank
    elif below - above >= 2:
        rank = (above + below) // 2
    else:
        raise DemoLoadError(
            f"No rank is free between the Red Cross ({above}) and the CMC ({below}) for the "
            "GICHD's category: change their ranks in the admin."
        )
    category, _ = ParticipantCategory.objects.update_or_create(
        code=data.GICHD_CATEGORY["code"], defaults={**data.GICHD_CATEGORY, "rank": rank}
    )
    return category


def _item(meeting, parent, values, *, order, documents, sittings, delegations) -> AgendaItem:
    item, _ = AgendaItem.objects.update_or_create(
        meeting=meeting,
        parent=parent,
        label=values["label"],
        defaults={
            "order": order,
            "title": values["title"],
            "annotation": values["annotation"],
            "format": values["format"],
        },
    )
    item.coordinators.set([delegations[code] for code in values["coordinators"]])
    item.sittings.set([sittings[key] for key in values["sittings"]])
    kept = [
        MandateReference.objects.get_or_create(
            item=item, document=documents[symbol], paragraph=paragraph
        )[0].pk
        for symbol, paragraph in values["mandate"]
    ]
    item.mandate_references.exclude(pk__in=kept).delete()
    return item


def _accounts(password: str | None) -> dict:
    """The demo accounts. With a password every account gets it; without one, new accounts get
    an unusable password and existing ones keep theirs."""
    user_model = get_user_model()
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label__in=data.SECRETARIAT_APPS)
    )
    # Hashed once for all accounts: hashing is slow on purpose, and these are demo accounts.
    hashed = make_password(password) if password is not None else None
    users = {}
    for values in data.ACCOUNTS:
        username = values["username"]
        user, created = user_model.objects.update_or_create(
            username=username,
            defaults={
                **values,
                "email": f"{username}@{data.EMAIL_DOMAIN}",
                "is_staff": username in data.STAFF_ACCOUNTS,
                "is_superuser": False,
                "is_active": True,
            },
        )
        if hashed is not None:
            user.password = hashed
            user.save(update_fields=["password"])
        elif created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        if username in data.STAFF_ACCOUNTS:
            user.groups.add(group)
        users[username] = user
    return users
