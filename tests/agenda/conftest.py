"""A small CCM meeting for the list of speakers: item 2(c) with its coordinators and the
States presenting Article 4 extension requests, a few delegations of every category."""

from dataclasses import dataclass

import pytest

from agenda.models import Presenter
from delegations.models import Category, Delegation
from tests.factories import (
    AgendaItemFactory,
    DelegationFactory,
    FocalPointFactory,
    MeetingFactory,
    ParticipationFactory,
    UserFactory,
)

DELEGATIONS = [
    ("ITA", "Italy", Category.STATE_PARTY),
    ("NOR", "Norway", Category.STATE_PARTY),
    ("AFG", "Afghanistan", Category.STATE_PARTY),
    ("CHL", "Chile", Category.STATE_PARTY),
    ("LBN", "Lebanon", Category.STATE_PARTY),
    ("FRA", "France", Category.STATE_PARTY),
    ("AUT", "Austria", Category.STATE_PARTY),
    ("AGO", "Angola", Category.SIGNATORY_STATE),
    ("VUT", "Vanuatu", Category.OBSERVER_STATE),
    ("UNODA", "UNODA", Category.INTERNATIONAL_ORGANIZATION),
    ("ICRC", "ICRC", Category.RED_CROSS),
    ("CMC", "Cluster Munition Coalition", Category.CMC),
    ("HRW", "Human Rights Watch", Category.NGO),
]


@dataclass
class Floor:
    meeting: object
    item: object
    chair: object
    secretariat: object
    d: dict  # code → Delegation
    focal: dict  # code → User

    def user(self, code):
        return self.focal[code]


@pytest.fixture
def floor(db):
    meeting = MeetingFactory(slug="ccm-2025")
    item2 = AgendaItemFactory(meeting=meeting, label="2", title="General status")
    item = AgendaItemFactory(meeting=meeting, parent=item2, label="c", title="Clearance")
    d = {}
    focal = {}
    for code, name, category in DELEGATIONS:
        kind = Delegation.Kind.STATE if "state" in category else Delegation.Kind.ORGANIZATION
        d[code] = DelegationFactory(code=code, name=name, kind=kind)
        ParticipationFactory(meeting=meeting, delegation=d[code], category=category)
        focal[code] = FocalPointFactory(
            user=UserFactory(username=f"focal-{code.lower()}"), delegation=d[code]
        ).user
    item.coordinators.set([d["ITA"], d["NOR"]])
    for code in ("AFG", "CHL", "LBN"):
        Presenter.objects.create(item=item, delegation=d[code], kind="extension_request")
    chair = UserFactory(username="president")
    meeting.presiding_officers.add(chair)
    secretariat = UserFactory(username="secretariat", is_staff=True, is_superuser=True)
    return Floor(meeting, item, chair, secretariat, d, focal)


@pytest.fixture
def chile(client, floor):
    """The test client, signed in as Chile's focal point."""
    client.force_login(floor.user("CHL"))
    return client
