"""The addresses of the agenda's pages: public pages, a delegation's pages, the chair's console
and the screens, the record, its exports and the calendar.

config/urls.py puts them under the language prefix (`/fr/meetings/…`; none for English). The
live stream and the server's clock, the same in every language, are in `live_urls`.
"""

from django.urls import path, register_converter

from agenda.outcome.feeds import RecordFeed, StatementsFeed

from . import chair, delegation, delegation_day, outcome, public, record, screens, start, statements


class DelegationCode:
    """A delegation's code as it may appear in an address (CHL, chl, ICRC, UN-WOMEN)."""

    regex = "[A-Za-z0-9][A-Za-z0-9-]{0,19}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value


register_converter(DelegationCode, "delegation")

MEETING = "meetings/<slug:slug>/"
DESK = f"{MEETING}my-delegation/<delegation:code>/"
CHAIR = f"{MEETING}chair/items/<int:pk>/"
RECORD = f"{MEETING}record/"

urlpatterns = [
    # Public pages.
    path("", public.home, name="home"),
    # After signing in: each role's screen, or the list of the screens it may open.
    path("start/", start.start, name="start"),
    path(MEETING, public.meeting_detail, name="meeting_detail"),
    path(f"{MEETING}items/<int:pk>/", public.agenda_item_detail, name="agenda_item_detail"),
    path(f"{MEETING}statements/", statements.public_statement_list, name="statement_list"),
    path(
        "statements/<int:file_id>/download/",
        statements.statement_file_download,
        name="statement_file_download",
    ),
    # A delegation's pages: request the floor, follow its place, hand in statements.
    path("my-delegation/", delegation.my_delegation, name="my_delegation"),
    path(DESK, delegation_day.delegation_floor, name="delegation_floor"),
    path(f"{DESK}items/<int:item_id>/request/", delegation.floor_request, name="floor_request"),
    path(
        f"{DESK}requests/<int:request_id>/withdraw/",
        delegation_day.floor_withdraw,
        name="floor_withdraw",
    ),
    path(f"{DESK}requests/<int:request_id>/undo/", delegation_day.floor_undo, name="floor_undo"),
    path(
        f"{DESK}items/<int:item_id>/statements/",
        statements.delegation_statements,
        name="delegation_statements",
    ),
    path(
        f"{DESK}statements/<int:statement_id>/settings/",
        statements.statement_settings,
        name="statement_settings",
    ),
    path(
        f"{DESK}statements/<int:statement_id>/versions/",
        statements.statement_file_add,
        name="statement_file_add",
    ),
    path(
        f"{DESK}statements/<int:statement_id>/delete/",
        statements.statement_delete,
        name="statement_delete",
    ),
    path(
        f"{DESK}versions/<int:file_id>/delete/",
        statements.statement_file_delete,
        name="statement_file_delete",
    ),
    # The chair's console, the room screen, the interpreters' view (the live stream: live_urls).
    path(f"{MEETING}chair/", chair.chair_home, name="chair_home"),
    path(CHAIR, chair.chair_console, name="chair_console"),
    path(f"{CHAIR}move/", chair.chair_move, name="chair_move"),
    path(f"{CHAIR}<slug:action>/", chair.chair_act, name="chair_act"),
    path(f"{MEETING}room/", screens.room_screen, name="room_screen"),
    path(f"{MEETING}room/banner/", screens.room_banner, name="room_banner"),
    path(f"{MEETING}interpreters/", screens.interpreters, name="interpreters"),
    # The record: statements from the floor, exports, statistics, the Lausanne Action Plan.
    path(RECORD, record.record_index, name="record"),
    path(f"{RECORD}items/<int:pk>/", record.record_item, name="record_item"),
    path(f"{RECORD}items/<int:pk>/print/", record.record_item_print, name="record_item_print"),
    path(f"{RECORD}delegations/<str:code>/", record.record_delegation, name="record_delegation"),
    path(f"{RECORD}entries/<int:pk>/tags/", record.record_tag, name="record_tag"),
    path(f"{RECORD}export/<str:what>.<str:fmt>", record.record_export, name="record_export"),
    path(f"{RECORD}statistics/", record.statistics, name="record_statistics"),
    path(
        f"{RECORD}statistics.<str:fmt>",
        record.statistics_export,
        name="record_statistics_export",
    ),
    path(f"{RECORD}lap/", record.lap_overview, name="record_lap"),
    path(f"{RECORD}lap/<slug:area>.<str:fmt>", record.lap_export, name="record_lap_export"),
    # What the meeting produced: notes, proposals, LAP inputs, draft documents, feeds.
    path(f"{RECORD}entries/<int:pk>/notes/", outcome.note_add, name="record_note_add"),
    path(f"{RECORD}notes/<int:pk>/<slug:action>/", outcome.note_change, name="record_note_change"),
    path(f"{RECORD}items/<int:pk>/proposals/", outcome.proposal_add, name="record_proposal_add"),
    path(
        f"{RECORD}proposals/<int:pk>/status/",
        outcome.proposal_status,
        name="record_proposal_status",
    ),
    path(f"{RECORD}lap/<slug:area>/inputs/", outcome.lap_inputs_page, name="record_lap_inputs"),
    path(f"{RECORD}lap/<slug:area>/inputs.docx", outcome.lap_download, name="outcome_lap_docx"),
    path(
        f"{RECORD}lap/<slug:area>/inputs.<str:fmt>",
        outcome.lap_inputs_export,
        name="record_lap_inputs_export",
    ),
    path(f"{RECORD}summary.docx", outcome.summary_download, name="outcome_summary_docx"),
    path(f"{RECORD}feeds/statements.atom", StatementsFeed(), name="feed_statements"),
    path(f"{RECORD}feeds/record.atom", RecordFeed(), name="feed_record"),
    path(f"{MEETING}programme.ics", record.programme_calendar, name="programme_ics"),
]
