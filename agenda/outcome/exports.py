"""The Lausanne Action Plan inputs of an area as a table (CSV or XLSX), no cell a formula
(`meetings.exports`): one row per tagged entry (an action without any: one empty row). The
headers and titles are in the active language (the language of the export's address)."""

from __future__ import annotations

import tablib
from django.utils.translation import gettext_lazy as _

from agenda.models import LapArea
from meetings.exports import inert_dataset
from meetings.models import Meeting

from .documents import file_url
from .selectors import lap_inputs

HEADERS = [
    _("area"),
    _("action"),
    _("action title"),
    _("item"),
    _("delegation code"),
    _("delegation"),
    _("speaker"),
    _("notes"),
    _("statements"),
]


def lap_inputs_dataset(meeting: Meeting, area: LapArea, *, private) -> tablib.Dataset:
    dataset = tablib.Dataset(headers=[str(header) for header in HEADERS], title="lap")
    for inputs in lap_inputs(meeting, area, private=private):
        action = inputs.action
        if not inputs.entries:
            dataset.append([area.title, action.number, action.title, "", "", "", "", "", ""])
        for entry in inputs.entries:
            dataset.append(
                [
                    area.title,
                    action.number,
                    action.title,
                    entry.item.code,
                    entry.delegation_code,
                    entry.delegation_name,
                    entry.speaker,
                    " | ".join(note.text for note in entry.notes),
                    " ".join(f"{file.language}:{file_url(file)}" for file in entry.files),
                ]
            )
    return inert_dataset(dataset)
