"""The figures of a meeting's record, pure: plain `Fact`s in, the tables of statistics out.

Number of entries and speaking time by category, delegation, item and the speakers'
self-declared gender ("not stated" when unknown).
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


@dataclass(frozen=True)
class Fact:
    """One delivered entry, as the statistics see it."""

    category: str
    delegation: str
    delegation_name: str
    item: str
    item_title: str
    seconds: int
    gender: str = NOT_STATED
    # The category's name and rank (`delegations.models.ParticipantCategory`); without them,
    # the shipped categories' names and order.
    category_label: str = ""
    category_rank: int | None = None


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
    """One line of a table: a category, a delegation, an item or a gender."""

    key: str
    label: str
    total: Cell = field(default_factory=Cell)
    genders: dict[str, Cell] = field(default_factory=lambda: {g: Cell() for g in GENDERS})
    share: float = 0.0  # of the table's speaking time, in per cent

    @property
    def by_gender(self) -> list[Cell]:
        return [self.genders[gender] for gender in GENDERS]


@dataclass
class Table:
    key: str
    title: str
    lines: list[Line]
    total: Line


@dataclass
class Figures:
    tables: list[Table]

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)


def figures(rows: list[Fact]) -> Figures:
    """Number of entries and speaking time by category, delegation, item and gender; each
    line split by the speakers' self-declared gender. Categories by rank (the shipped ones in
    their usual order; one the table does not know, last), items in the order met (agenda
    order), delegations by name, genders as declared then "not stated"."""
    categories = {value: Line(value, str(label)) for value, label in Category.choices}
    ranks = {value: rank for rank, value in enumerate(Category.values)}
    delegations: dict[str, Line] = {}
    items: dict[str, Line] = {}
    genders = {value: Line(value or "not_stated", str(GENDER_LABELS[value])) for value in GENDERS}
    total = Line("total", str(_("Total")))
    for fact in rows:
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
        item = items.setdefault(fact.item, Line(fact.item, f"{fact.item} {fact.item_title}"))
        gender = fact.gender if fact.gender in GENDERS else NOT_STATED
        for line in (category, delegation, item, genders[gender], total):
            line.total.add(fact.seconds)
            line.genders[gender].add(fact.seconds)

    def table(key: str, title, lines: list[Line]) -> Table:
        for line in lines:
            line.share = (
                round(100 * line.total.seconds / total.total.seconds, 1)
                if total.total.seconds
                else 0.0
            )
        return Table(key, str(title), lines, total)

    return Figures(
        [
            table(
                "category",
                _("By category"),
                sorted(
                    (c for c in categories.values() if c.total.count),
                    key=lambda line: (ranks[line.key], line.key),
                ),
            ),
            table("gender", _("By gender (self-declared)"), list(genders.values())),
            table("item", _("By item"), list(items.values())),
            table(
                "delegation",
                _("By delegation"),
                sorted(delegations.values(), key=lambda line: (line.label.casefold(), line.key)),
            ),
        ]
    )
