"""Where each person starts: the screens of the current meeting they may open, in the order of
their work, for the navigation and for the page they land on after signing in.

- `screens_for(user, meeting)`: the screens `user` may open, each once; the same role checks
  as the views themselves (`agenda.roles`), so the navigation never offers a refusal.
- `start`: after signing in, the chair goes to the console, a focal point to My delegation, an
  interpreter to the interpreters' view; the secretariat (and anyone with several screens and
  no single one to go to) to a page listing every screen they may open.
- The room screen, the banner and the interpreters' view are listed with their address in each
  of the six languages (`Screen.addresses`).
- `navigation`: a context processor giving the navigation the screens of the signed-in user
  (none for the public: no query on a public page).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from agenda.models import AgendaItem
from agenda.roles import INTERPRETERS_GROUP
from delegations.languages import address_in
from delegations.models import FocalPoint
from meetings.models import Meeting
from meetings.roles import SECRETARIAT_GROUP, is_secretariat

IN_EACH_LANGUAGE = {"room", "banner", "interpreters"}
"""The screens opened in a given language: the room's, the webcast's, each booth its own."""


@dataclass(frozen=True)
class Screen:
    key: str
    label: str
    url: str
    description: str = ""

    @property
    def addresses(self) -> list[tuple[str, str, str]]:
        """(code, the language named in itself, the screen's address in it) for each of the six
        languages, for the screens a room or a booth opens in its language (English at `/en/`:
        English on any machine)."""
        if self.key not in IN_EACH_LANGUAGE:
            return []
        return [
            (code, name, address_in(self.url, code, prefix_english=True))
            for code, name in settings.LANGUAGES
        ]


@dataclass(frozen=True)
class Roles:
    """What a user is at a meeting, read in one query (the rules of `agenda.roles`)."""

    meeting: Meeting | None
    secretariat: bool = False
    presides: bool = False
    facilitates: bool = False  # chairs an item of the meeting for its coordinators
    coordinates: bool = False  # focal point of a delegation coordinating an item
    interprets: bool = False
    focal_point: bool = False

    @property
    def chairs(self) -> bool:
        return self.secretariat or self.presides or self.facilitates

    @property
    def follows_booths(self) -> bool:
        return self.chairs or self.interprets

    @property
    def reads_figures(self) -> bool:
        return self.chairs or self.coordinates


def roles_of(user, slug: str | None = None) -> Roles:
    """`user`'s roles at the meeting `slug` (else the current meeting): one query for the
    roles (and one for the meeting when `slug` is None)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Roles(None)
    if slug is None:
        current = Meeting.objects.current()
        meetings = Meeting.objects.filter(pk=current.pk if current else None)
    else:
        meetings = Meeting.objects.filter(slug=slug)
    in_meeting = OuterRef("pk")
    row = (
        meetings.annotate(
            r_secretariat=Exists(Group.objects.filter(user=user.pk, name=SECRETARIAT_GROUP)),
            r_interprets=Exists(Group.objects.filter(user=user.pk, name=INTERPRETERS_GROUP)),
            r_presides=Exists(
                Meeting.presiding_officers.through.objects.filter(
                    meeting_id=in_meeting, user_id=user.pk
                )
            ),
            r_facilitates=Exists(
                AgendaItem.objects.filter(meeting_id=in_meeting, facilitators=user.pk)
            ),
            r_coordinates=Exists(
                FocalPoint.objects.filter(
                    user=user.pk, delegation__coordinated_items__meeting_id=in_meeting
                )
            ),
            r_focal=Exists(FocalPoint.objects.filter(user=user.pk)),
        )
        .only("pk", "slug", "status", "title")
        .first()
    )
    if row is None:
        return Roles(None, secretariat=is_secretariat(user))
    secretariat = user.is_superuser or row.r_secretariat
    if not (row.is_public or secretariat):
        return Roles(None)
    return Roles(
        row,
        secretariat=secretariat,
        presides=row.r_presides,
        facilitates=row.r_facilitates,
        coordinates=row.r_coordinates,
        interprets=row.r_interprets,
        focal_point=row.r_focal,
    )


def screens_for(roles: Roles) -> list[Screen]:
    """The screens of `roles`' meeting its holder may open, the one used most first."""
    screens = []
    meeting = roles.meeting
    slug = meeting.slug if meeting is not None else None
    if slug and roles.chairs:
        screens.append(
            Screen(
                "console",
                _("Chair's console"),
                reverse("chair_home", kwargs={"slug": slug}),
                _("Run the list of speakers of the item under discussion."),
            )
        )
    if roles.focal_point or roles.secretariat:
        screens.append(
            Screen(
                "delegation",
                _("My delegation"),
                reverse("my_delegation"),
                _("Request the floor, follow your place, hand in statements."),
            )
        )
    if slug and roles.follows_booths:
        screens.append(
            Screen(
                "interpreters",
                _("Interpreters"),
                reverse("interpreters", kwargs={"slug": slug}),
                _("Who speaks, in which language, with the texts handed in."),
            )
        )
    if slug:
        screens += [
            Screen(
                "room",
                _("Room screen"),
                reverse("room_screen", kwargs={"slug": slug}),
                _("The big screen in the room: who has the floor and who is next."),
            ),
            Screen(
                "banner",
                _("Webcast banner"),
                reverse("room_banner", kwargs={"slug": slug}),
                _("A strip for the webcast: the speaker and the time."),
            ),
            Screen(
                "record",
                _("Record"),
                reverse("record", kwargs={"slug": slug}),
                _("Who took the floor on each item, with the statements."),
            ),
        ]
    if slug and roles.reads_figures:
        screens.append(
            Screen(
                "statistics",
                _("Statistics"),
                reverse("record_statistics", kwargs={"slug": slug}),
                _("Entries and speaking time by category, delegation and item."),
            )
        )
    if roles.secretariat:
        screens.append(
            Screen(
                "admin",
                _("Secretariat"),
                reverse("admin:index"),
                _("The meeting, its agenda, delegations, accounts and the audit trail."),
            )
        )
    return screens


#: Where a role lands, in this order: the first the user has.
LANDING = ("console", "delegation", "interpreters")


def start(request: HttpRequest) -> HttpResponse:
    """After signing in: the screen of the person's work, or the list of their screens."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    roles = roles_of(request.user)
    screens = screens_for(roles)
    if not roles.secretariat:
        keys = {screen.key: screen for screen in screens}
        for key in ("interpreters",) if roles.interprets else LANDING:
            if key in keys:
                return redirect(keys[key].url)
    return render(request, "start.html", {"meeting": roles.meeting, "screens": screens})


def navigation(request: HttpRequest) -> dict:
    """The signed-in user's screens of the current meeting, read only when a page shows them."""

    def screens():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return []
        match = getattr(request, "resolver_match", None)
        slug = match.kwargs.get("slug") if match is not None else None
        if not isinstance(slug, str) or "\x00" in slug:
            slug = None
        return screens_for(roles_of(user, slug))

    return {"my_screens": SimpleLazyObject(screens)}
