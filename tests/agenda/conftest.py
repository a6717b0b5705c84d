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
    GroupFactory,
    GuestFactory,
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


@dataclass
class Groups:
    """The groups and the speakers without a delegation of the `floor` meeting."""

    eu_delegation: object  # the European Union's own delegation (an international organisation)
    eu: object  # members: Italy, France, Austria; statements take precedence
    grulac: object  # member: Chile; statements take precedence
    like_minded: object  # members: Norway, Chile; no precedence
    president: object  # a speaker without a delegation
    panellist: object


@pytest.fixture
def groups(floor):
    eu_delegation = DelegationFactory(
        code="EU", name="European Union", kind=Delegation.Kind.ORGANIZATION
    )
    ParticipationFactory(
        meeting=floor.meeting,
        delegation=eu_delegation,
        category=Category.INTERNATIONAL_ORGANIZATION,
    )
    floor.d["EU"] = eu_delegation
    floor.focal["EU"] = FocalPointFactory(
        user=UserFactory(username="focal-eu"), delegation=eu_delegation
    ).user
    eu = GroupFactory(
        meeting=floor.meeting,
        code="EU",
        name="the European Union",
        delegation=eu_delegation,
        members=[floor.d["ITA"], floor.d["FRA"], floor.d["AUT"]],
    )
    grulac = GroupFactory(
        meeting=floor.meeting,
        code="GRULAC",
        name="the Group of Latin American and Caribbean States",
        members=[floor.d["CHL"]],
    )
    like_minded = GroupFactory(
        meeting=floor.meeting,
        code="LMG",
        name="a group of like-minded States",
        takes_precedence=False,
        members=[floor.d["NOR"], floor.d["CHL"]],
    )
    president = GuestFactory(
        meeting=floor.meeting,
        name="Ambassador Carlos D. Sorreta",
        title="President of the Thirteenth Meeting of States Parties",
    )
    panellist = GuestFactory(
        meeting=floor.meeting,
        name="Dr Ana Reyes",
        title="Panellist",
        organisation="Survivor network",
    )
    return Groups(eu_delegation, eu, grulac, like_minded, president, panellist)


@pytest.fixture
def chile(client, floor):
    """The test client, signed in as Chile's focal point."""
    client.force_login(floor.user("CHL"))
    return client
