"""A delegation's pages: request the floor, follow its place, hand in statements."""

from django.urls import path, register_converter

from . import floor_views as views


class DelegationCode:
    """A delegation's code as it may appear in an address (CHL, chl, ICRC, UN-WOMEN)."""

    regex = "[A-Za-z0-9][A-Za-z0-9-]{0,19}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value


register_converter(DelegationCode, "delegation")

DESK = "meetings/<slug:slug>/my-delegation/<delegation:code>/"

urlpatterns = [
    path("my-delegation/", views.my_delegation, name="my_delegation"),
    path(DESK, views.delegation_floor, name="delegation_floor"),
    path(f"{DESK}items/<int:item_id>/request/", views.floor_request, name="floor_request"),
    path(
        f"{DESK}requests/<int:request_id>/withdraw/",
        views.floor_withdraw,
        name="floor_withdraw",
    ),
    path(
        f"{DESK}items/<int:item_id>/statements/",
        views.delegation_statements,
        name="delegation_statements",
    ),
    path(
        f"{DESK}statements/<int:statement_id>/settings/",
        views.statement_settings,
        name="statement_settings",
    ),
    path(
        f"{DESK}statements/<int:statement_id>/versions/",
        views.statement_file_add,
        name="statement_file_add",
    ),
    path(
        f"{DESK}statements/<int:statement_id>/delete/",
        views.statement_delete,
        name="statement_delete",
    ),
    path(
        f"{DESK}versions/<int:file_id>/delete/",
        views.statement_file_delete,
        name="statement_file_delete",
    ),
    path(
        "statements/<int:file_id>/download/",
        views.statement_file_download,
        name="statement_file_download",
    ),
    path(
        "meetings/<slug:slug>/statements/",
        views.public_statement_list,
        name="statement_list",
    ),
]
