"""The figures of a meeting's record, pure: plain `Fact`s in, the tables of statistics out.

Number of entries and speaking time by category, the speakers' self-declared gender ("not
stated" when unknown), item and delegation; then the statements made on behalf of groups (with
the number of delegations each group represents) and the joint statements (with their
co-sponsors), each in a table of its own.

Every delivered entry counts once, whoever it was said for: a statement on behalf of a group of
27 States is one entry, counted under the delegation that read it (and the category it was
recorded under); its group's line says how many delegations it represents. A joint statement
is one entry too, the reading delegation's; its line says how many delegations co-sponsored.
A speaker without a delegation (the President, a panellist) is no delegation and in no
category: their entries count on a line apart ("Speakers without a delegation") below the
lines of the tables by category and by delegation, never as a delegation or in a category.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from agenda.durations import duration_text
from delegations.models import Category, Delegate

NOT_STATED = ""
GENDER_LABELS = {
    **dict(Delegate.Gender.choices),
    NOT_STATED: _("Not stated"),
}
GENDERS = [*Delegate.Gender.values, NOT_STATED]
WITHOUT_DELEGATION = "without_delegation"  # the key of the line apart


@dataclass(frozen=True)
class Fact:
    """One delivered entry, as the statistics see it."""

    category: str  # "" for a speaker without a delegation
    delegation: str  # the code of the delegation that read it; "" for a speaker without one
    delegation_name: str
    item: str
    item_title: str
    seconds: int
    gender: str = NOT_STATED
    # The category's name and rank (`delegations.models.ParticipantCategory`); without them,
    # the shipped categories' names and order.
    category_label: str = ""
    category_rank: int | None = None
    group: str = ""  # the code of the group spoken for; "" in the delegation's own name
    group_name: str = ""
    group_members: int = 0  # the delegations the group represents
    co_sponsors: tuple[str, ...] = ()  # the codes of a joint statement's co-sponsors

    @property
    def without_delegation(self) -> bool:
        return not self.delegation


@dataclass
class Cell:
    count: int = 0
    seconds: int = 0

    def add(self, seconds: int) -> None:
        self.count += 1
        self.seconds += seconds

    @property
    def duration(self) -> str:
        return duration_text(self.seconds)


@dataclass
class Line:
    """One line of a table: a category, a delegation, an item, a gender or a group."""

    key: str
    label: str
    total: Cell = field(default_factory=Cell)
    genders: dict[str, Cell] = field(default_factory=lambda: {g: Cell() for g in GENDERS})
    share: float = 0.0  # of the meeting's speaking time, in per cent
    # A group: the delegations it represents (its members); a delegation's joint statements:
    # their co-sponsors, each counted once (and on the total line, across delegations). None
    # elsewhere, and on the groups' total line (a delegation may be in two groups).
    represented: int | None = None
    co_sponsors: set[str] = field(default_factory=set)

    @property
    def by_gender(self) -> list[Cell]:
        return [self.genders[gender] for gender in GENDERS]

    def add(self, fact: Fact, gender: str) -> None:
        self.total.add(fact.seconds)
        self.genders[gender].add(fact.seconds)


@dataclass
class Table:
    key: str
    title: str
    lines: list[Line]
    total: Line
    apart: Line | None = None  # the speakers without a delegation, when any spoke
    represented: str = ""  # the heading of the lines' `represented`, where they have one

    @property
    def body(self) -> list[Line]:
        """The lines, then the line apart (when any): what a chart shows."""
        return [*self.lines, *([self.apart] if self.apart else [])]

    @property
    def rows(self) -> list[Line]:
        """The body and the total: what the page and the export show."""
        return [*self.body, self.total]


@dataclass
class Figures:
    tables: list[Table]

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)


def figures(rows: list[Fact]) -> Figures:
    """Number of entries and speaking time by category, gender, item and delegation, each
    line split by the speakers' self-declared gender; then the statements on behalf of
    groups and the joint statements. Categories by rank (the shipped ones in their usual order;
    one the table does not know, last), items in the order met (agenda order), delegations and
    groups by name, genders as declared then "not stated"."""
    categories = {value: Line(value, str(label)) for value, label in Category.choices}
    ranks = {value: rank for rank, value in enumerate(Category.values)}
    delegations: dict[str, Line] = {}
    items: dict[str, Line] = {}
    groups: dict[str, Line] = {}
    joint: dict[str, Line] = {}
    genders = {value: Line(value or "not_stated", str(GENDER_LABELS[value])) for value in GENDERS}
    apart = Line(WITHOUT_DELEGATION, str(_("Speakers without a delegation")))
    total = Line("total", str(_("Total")))
    group_total = Line("total", str(_("Total")))
    joint_total = Line("total", str(_("Total")))
    for fact in rows:
        gender = fact.gender if fact.gender in GENDERS else NOT_STATED
        item = items.setdefault(fact.item, Line(fact.item, f"{fact.item} {fact.item_title}"))
        counted = [item, genders[gender], total]
        if fact.without_delegation:
            counted.append(apart)
        else:
            category = categories.setdefault(fact.category, Line(fact.category, fact.category))
            if fact.category_label:
                category.label = fact.category_label
            if fact.category_rank is not None or fact.category not in ranks:
                ranks[fact.category] = (
                    fact.category_rank if fact.category_rank is not None else len(ranks) + 10**6
                )
            delegation = delegations.setdefault(
                fact.delegation, Line(fact.delegation, fact.delegation_name)
            )
            counted += [category, delegation]
        if fact.group:
            group = groups.setdefault(fact.group, Line(fact.group, fact.group_name, represented=0))
            group.represented = max(group.represented or 0, fact.group_members)
            counted += [group, group_total]
        if fact.co_sponsors:
            reader = joint.setdefault(
                fact.delegation, Line(fact.delegation, fact.delegation_name, represented=0)
            )
            reader.co_sponsors.update(fact.co_sponsors)
            reader.represented = len(reader.co_sponsors)
            joint_total.co_sponsors.update(fact.co_sponsors)
            counted += [reader, joint_total]
        for line in counted:
            line.add(fact, gender)
    joint_total.represented = len(joint_total.co_sponsors)

    def share(line: Line) -> None:
        line.share = (
            round(100 * line.total.seconds / total.total.seconds, 1) if total.total.seconds else 0.0
        )

    def table(key: str, title, lines: list[Line], **kwargs) -> Table:
        made = Table(key, str(title), lines, kwargs.pop("total", total), **kwargs)
        for line in made.rows:
            share(line)
        if made.total is total:
            total.share = 100.0
        return made

    def by_name(lines) -> list[Line]:
        return sorted(lines, key=lambda line: (line.label.casefold(), line.key))

    return Figures(
        [
            table(
                "category",
                _("By category"),
                sorted(
                    (c for c in categories.values() if c.total.count),
                    key=lambda line: (ranks[line.key], line.key),
                ),
                apart=apart if apart.total.count else None,
            ),
            table("gender", _("By gender (self-declared)"), list(genders.values())),
            table("item", _("By item"), list(items.values())),
            table(
                "delegation",
                _("By delegation"),
                by_name(delegations.values()),
                apart=apart if apart.total.count else None,
            ),
            table(
                "group",
                _("Statements on behalf of groups"),
                by_name(groups.values()),
                total=group_total,
                represented=str(_("Delegations represented")),
            ),
            table(
                "joint",
                _("Joint statements, by the delegation that read them"),
                by_name(joint.values()),
                total=joint_total,
                represented=str(_("Co-sponsors")),
            ),
        ]
    )
