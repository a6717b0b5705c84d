"""A delegation's statements: hand them in, in several languages, publish them; and reading
statements: the download of a file, the public list of statements delivered.

Thin like the delegation's page (`agenda.web.delegation`, whose `acting_for` guards these
views too): the services of `agenda.statements.services` check the file and the permission and
say why they refuse.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agenda.errors import FloorError, NotAllowed
from agenda.items import agenda_outline
from agenda.models import AgendaItem, Statement, StatementFile
from agenda.speakers.selectors import speakers_list
from agenda.statements import services
from agenda.statements.selectors import download_name, public_statements
from meetings.selectors import visible_meetings

from .delegation import Desk, acting_for, carried_out
from .forms import StatementFileForm, StatementForm, StatementSettingsForm


def _statement(desk: Desk, statement_id: int) -> Statement:
    return get_object_or_404(
        Statement.objects.select_related("item__meeting", "item__parent", "delegation"),
        pk=statement_id,
        item__meeting=desk.meeting,
        delegation=desk.delegation,
    )


LANGUAGES = [code for code, _label in StatementFileForm.base_fields["language"].choices]


def _statements_page(
    request, desk: Desk, item: AgendaItem, *, bound: dict | None = None, status: int = 200
):
    bound = bound or {}
    rows = list(
        Statement.objects.filter(item=item, delegation=desk.delegation)
        .prefetch_related("files")
        .order_by("created_at", "id")
    )
    public = set(
        public_statements().filter(pk__in=[row.pk for row in rows]).values_list("pk", flat=True)
    )
    entries = []
    for statement in rows:
        taken = {f.language for f in statement.files.all()}
        free = [code for code in LANGUAGES if code not in taken]
        entries.append(
            {
                "statement": statement,
                "is_public": statement.pk in public,
                "settings_form": bound.get(("settings", statement.pk))
                or StatementSettingsForm(
                    prefix=f"settings-{statement.pk}",
                    initial={
                        "check_against_delivery": statement.check_against_delivery,
                        "is_published": statement.is_published,
                    },
                ),
                "file_form": (
                    bound.get(("file", statement.pk))
                    or StatementFileForm(
                        prefix=f"version-{statement.pk}", initial={"language": free[0]}
                    )
                )
                if free
                else None,
            }
        )
    language = _statement_language(item, desk)
    new_form = bound.get("new") or StatementForm(prefix="new", initial={"language": language})
    return render(
        request,
        "agenda/statements.html",
        {
            "meeting": desk.meeting,
            "delegation": desk.delegation,
            "desk": desk,
            "item": item,
            "entries": entries,
            "new_form": new_form,
        },
        status=status,
    )


def _statement_language(item, desk: Desk) -> str:
    """The language a new statement is in, at first: the one the delegation last asked to
    speak in on the item, else its usual one, else English."""
    for entry in reversed(speakers_list(item).requests):
        if entry.delegation_id == desk.delegation.pk and entry.language:
            return entry.language
    return desk.usual_language() or "en"


@require_http_methods(["GET", "POST"])
@acting_for
def delegation_statements(request, desk: Desk, item_id: int):
    """The delegation's statements on an item; POST hands in a new one."""
    item = desk.item(item_id)
    if request.method == "GET":
        return _statements_page(request, desk, item)
    form = StatementForm(request.POST, request.FILES, prefix="new")
    statement = carried_out(
        form, services.statement_create, item=item, delegation=desk.delegation, user=request.user
    )
    if statement is None:
        return _statements_page(request, desk, item, bound={"new": form}, status=400)
    messages.success(request, _("Your statement on %(item)s is handed in.") % {"item": item.code})
    return redirect(desk.statements_url(item))


@require_POST
@acting_for
def statement_settings(request, desk: Desk, statement_id: int):
    statement = _statement(desk, statement_id)
    form = StatementSettingsForm(request.POST, prefix=f"settings-{statement.pk}")
    if carried_out(form, services.statement_update, statement=statement, user=request.user):
        messages.success(request, _("The statement's settings are saved."))
        return redirect(desk.statements_url(statement.item))
    return _statements_page(
        request, desk, statement.item, bound={("settings", statement.pk): form}, status=400
    )


@require_POST
@acting_for
def statement_file_add(request, desk: Desk, statement_id: int):
    statement = _statement(desk, statement_id)
    form = StatementFileForm(request.POST, request.FILES, prefix=f"version-{statement.pk}")
    added = carried_out(form, services.statement_file_add, statement=statement, user=request.user)
    if added is None:
        return _statements_page(
            request, desk, statement.item, bound={("file", statement.pk): form}, status=400
        )
    messages.success(
        request,
        _("The %(language)s version is added.") % {"language": added.get_language_display()},
    )
    return redirect(desk.statements_url(statement.item))


@require_POST
@acting_for
def statement_file_delete(request, desk: Desk, file_id: int):
    row = get_object_or_404(
        StatementFile.objects.select_related("statement__item__parent"),
        pk=file_id,
        statement__item__meeting=desk.meeting,
        statement__delegation=desk.delegation,
    )
    try:
        services.statement_file_delete(statement_file=row, user=request.user)
    except FloorError as error:
        if isinstance(error, NotAllowed):
            raise
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The %(language)s version is deleted.") % {"language": row.get_language_display()},
        )
    return redirect(desk.statements_url(row.statement.item))


@require_POST
@acting_for
def statement_delete(request, desk: Desk, statement_id: int):
    statement = _statement(desk, statement_id)
    try:
        services.statement_delete(statement=statement, user=request.user)
    except FloorError as error:
        if isinstance(error, NotAllowed):
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("The statement is deleted."))
    return redirect(desk.statements_url(statement.item))


# --- reading statements ----------------------------------------------------------------------


@require_GET
def statement_file_download(request, file_id: int):
    """A statement's file, as a download with its type. Who may not see it gets 404, as if it
    did not exist."""
    row = (
        StatementFile.objects.select_related(
            "statement__item__meeting", "statement__item__parent", "statement__delegation"
        )
        .filter(pk=file_id)
        .first()
    )
    if row is None or not request.user.has_perm("agenda.download_statement_file", row):
        raise Http404
    try:
        handle = row.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(row),
        content_type=row.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def public_statement_list(request, slug: str):
    """Statements delivered at a meeting whose delegations published them, item by item."""
    meeting = get_object_or_404(visible_meetings(request.user), slug=slug)
    items = agenda_outline(meeting)
    by_item: dict[int, list[Statement]] = {}
    for statement in (
        public_statements()
        .filter(item__meeting=meeting)
        .select_related("delegation")
        .prefetch_related(Prefetch("files", queryset=StatementFile.objects.order_by("language")))
        .order_by("created_at", "id")
    ):
        by_item.setdefault(statement.item_id, []).append(statement)
    sections = [(item, by_item[item.pk]) for item in items if item.pk in by_item]
    return render(
        request,
        "agenda/statement_list.html",
        {"meeting": meeting, "sections": sections},
    )
