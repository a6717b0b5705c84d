"""The draft outcome documents, as editable Word files (python-docx): the President's summary
of the meeting and, per coordinators' area, the inputs to the Lausanne Action Plan progress
report.

UN layout: the symbol and the date at the top (right), "Original: English", the meeting's
name, the title, headings per item and numbered paragraphs ("1.", "2.", … written out, so that
they survive any editor). The figures of the annex are those of the statistics page
(`agenda.record.figures` over the same delivered entries).
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from agenda.items import agenda_outline
from agenda.models import LapArea
from agenda.record import figures, selectors
from agenda.statements.selectors import download_name
from delegations.models import ParticipantCategory
from meetings.languages import localized
from meetings.models import Meeting

from .selectors import attach_notes, by_topic, lap_inputs, proposals, topics

DRAFT_SYMBOL = "DRAFT"


class Draft:
    """A document in UN layout being written: numbered paragraphs run on across headings."""

    def __init__(self, meeting: Meeting, *, symbol: str, title: str, today: date | None = None):
        self.document = Document()
        self.number = 0
        style = self.document.styles["Normal"]
        style.font.name = "Times New Roman"
        style.font.size = Pt(11)
        self.document.core_properties.title = title
        for text in (
            symbol,
            formats.date_format(today or timezone.localdate(), "j F Y"),
            "",
            _("Original: English"),
        ):
            paragraph = self.document.add_paragraph(text)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        self.document.add_paragraph(meeting.title).runs[0].bold = True
        place = ", ".join(part for part in (meeting.city or meeting.venue,) if part)
        dates = _("%(first)s to %(last)s") % {
            "first": formats.date_format(meeting.start_date, "j F Y"),
            "last": formats.date_format(meeting.end_date, "j F Y"),
        }
        self.document.add_paragraph(f"{place}, {dates}" if place else dates)
        self.document.add_heading(title, level=1)

    def heading(self, text: str, level: int = 2) -> None:
        self.document.add_heading(text, level=level)

    def paragraph(self, text: str) -> None:
        """A numbered paragraph."""
        self.number += 1
        self.document.add_paragraph(f"{self.number}.\t{text}")

    def plain(self, text: str, style: str | None = None) -> None:
        self.document.add_paragraph(text, style=style)

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = text
        for row in rows:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = str(text)

    def save(self) -> bytes:
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()


def _rank(table, key: str) -> int:
    rank = table.rank(key)
    return 10**6 if rank is None else rank


def _plural(table, code: str) -> str:
    row = next((row for row in table.rows if row.code == code), None)
    return code if row is None else str(row.heading)


def _attributed(who: str, text: str) -> str:
    """A note said by `who`: "Chile: …", unless the note already names them first."""
    return text if text.casefold().startswith(who.casefold()) else f"{who}: {text}"


def _names(names: list[str]) -> str:
    return ", ".join(names)


def who_took_the_floor(entries: list[selectors.RecordEntry]) -> list[tuple[str, int, list[str]]]:
    """Per category (in rank order), the number of entries and who spoke (names, once each, in
    the order they first spoke); the speakers without a delegation last."""
    table = ParticipantCategory.table()
    counts: dict[str, int] = defaultdict(int)
    names: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        key = "" if entry.delegation is None else entry.floor_request.category
        counts[key] += 1
        name = entry.delegation_name if entry.delegation else entry.speaker
        if name not in names[key]:
            names[key].append(name)
    keys = sorted((key for key in counts if key), key=lambda key: (_rank(table, key), key))
    lines = [(_plural(table, key), counts[key], names[key]) for key in keys]
    if "" in counts:
        lines.append((str(_("Speakers without a delegation")), counts[""], names[""]))
    return lines


def summary(meeting: Meeting, *, symbol: str = DRAFT_SYMBOL, today: date | None = None) -> bytes:
    """The President's summary: per item its format, who took the floor by category (with
    counts), the key points of the published notes, the ways forward by topic and status; an
    annex with the participants by category and the statistics."""
    draft = Draft(meeting, symbol=symbol, title=_("President's summary"), today=today)
    entries = selectors.delivered(meeting)
    attach_notes(entries, private=False)
    by_item: dict[int, list] = defaultdict(list)
    for entry in entries:
        by_item[entry.item.pk].append(entry)
    found = proposals(meeting=meeting)
    proposals_of: dict[int, list] = defaultdict(list)
    for proposal in found:
        proposals_of[proposal.item_id].append(proposal)
    draft.paragraph(
        _(
            "The %(body)s of the %(convention)s was held from %(first)s to %(last)s. This "
            "summary is issued under the President's own responsibility."
        )
        % {
            "body": meeting.body,
            "convention": meeting.convention,
            "first": formats.date_format(meeting.start_date, "j F Y"),
            "last": formats.date_format(meeting.end_date, "j F Y"),
        }
    )
    for item in agenda_outline(meeting):
        item_entries, item_proposals = by_item.get(item.pk, []), proposals_of.get(item.pk, [])
        if not item_entries and not item_proposals and item.parent_id is not None:
            continue
        draft.heading(f"{item.code} {item.title}")
        if item.format:
            draft.paragraph(_("Format: %(format)s") % {"format": item.format})
        if item_entries:
            lines = who_took_the_floor(item_entries)
            draft.paragraph(
                _("%(count)s statements were made from the floor: %(lines)s.")
                % {
                    "count": len(item_entries),
                    "lines": "; ".join(
                        f"{label} ({count}): {_names(names)}" for label, count, names in lines
                    ),
                }
            )
        for entry in item_entries:
            for note in entry.notes:
                draft.paragraph(_attributed(entry.delegation_name or entry.speaker, note.text))
        if item_proposals:
            draft.heading(_("Ways forward"), level=3)
            for group in by_topic(topics(item), item_proposals):
                draft.heading(group.topic.title if group.topic else _("Other proposals"), level=4)
                for proposal in group.proposals:
                    draft.paragraph(proposal_text(proposal))
    annex(draft, meeting, entries)
    return draft.save()


def proposal_text(proposal) -> str:
    raised = [s.delegation.name for s in proposal.supports.all() if s.role == "raised"]
    supported = [s.delegation.name for s in proposal.supports.all() if s.role == "supported"]
    text = _("%(text)s (raised by %(raised)s") % {"text": proposal.text, "raised": _names(raised)}
    if supported:
        text += _("; supported by %(supported)s") % {"supported": _names(supported)}
    return f"{text}). " + _("Status: %(status)s.") % {"status": proposal.get_status_display()}


def annex(draft: Draft, meeting: Meeting, entries) -> None:
    draft.heading(_("Annex: participants and statistics"), level=1)
    draft.heading(_("Participants by category"))
    table = ParticipantCategory.table()
    by_category: dict[str, list[str]] = defaultdict(list)
    names = meeting.participations.annotate(shown=localized("delegation__name"))
    for code, name in names.values_list("category", "shown"):
        by_category[code].append(name)
    for code in sorted(by_category, key=lambda key: (_rank(table, key), key)):
        names = sorted(by_category[code], key=str.casefold)
        draft.plain(f"{_plural(table, code)} ({len(names)}): {_names(names)}")
    computed = figures.figures(selectors.facts(entries))
    for key in ("category", "gender", "item"):
        found = computed.table(key)
        draft.heading(found.title, level=3)
        draft.table(
            [_("Line"), _("Entries"), _("Speaking time"), _("Share of time (%)")],
            [
                [line.label, line.total.count, line.total.duration, line.share]
                for line in found.rows
            ],
        )


def lap(
    meeting: Meeting,
    area: LapArea,
    *,
    private=True,
    base_url: str = "",
    symbol: str = DRAFT_SYMBOL,
    today: date | None = None,
) -> bytes:
    """The inputs of an area to the Lausanne Action Plan progress report: per action, which
    delegations reported what (their notes), with references to their statements."""
    title = _("Inputs to the Lausanne Action Plan progress report: %(area)s") % {"area": area.title}
    draft = Draft(meeting, symbol=symbol, title=title, today=today)
    draft.paragraph(
        _(
            "These inputs gather what delegations reported at the %(meeting)s on the actions "
            "of the Lausanne Action Plan in this area (actions %(first)s to %(last)s), from "
            "the record of the meeting and the coordinators' notes."
        )
        % {"meeting": meeting.title, "first": area.first_action, "last": area.last_action}
    )
    for inputs in lap_inputs(meeting, area, private=private):
        draft.heading(inputs.action.label)
        if not inputs.entries:
            draft.plain(_("Nothing was reported on this action at the meeting."))
            continue
        for entry in inputs.entries:
            draft.paragraph(lap_text(entry, base_url))
    return draft.save()


def lap_text(entry, base_url: str = "") -> str:
    who = entry.delegation_name or entry.speaker
    said = " ".join(note.text.rstrip(".") + "." for note in entry.notes) or _(
        "(No note yet: see the statement.)"
    )
    references = [f"{download_name(file)} ({base_url}{file_url(file)})" for file in entry.files]
    text = _("%(who)s, under %(item)s: %(said)s") % {
        "who": who,
        "item": entry.item.code,
        "said": said,
    }
    if references:
        text += " " + _("Statement: %(references)s.") % {"references": "; ".join(references)}
    return text


def file_url(file) -> str:
    return reverse("statement_file_download", args=[file.pk])
