"""Who may do what on the delegations' pages: the permissions, written once.

The predicates wrap the role functions (`meetings.roles.is_secretariat`,
`delegations.roles.represents`, `agenda.roles.chairs`), which stay plain functions for the
services and the API. Views check these permissions (`user.has_perm(name, obj)`), templates
with `{% has_perm %}`, services before they write. django-rules finds this module when the
site starts (`rules.apps.AutodiscoverRulesConfig`).

- `agenda.open_my_delegation` (no object): focal points and the secretariat.
- `agenda.act_for_delegation` (a Delegation): its focal points and the secretariat.
- `agenda.act_for_any_delegation` (no object): the secretariat.
- `agenda.withdraw_floor_request` (a FloorRequest): its delegation's focal points and the
  chairs of its item.
- `agenda.manage_statement` (a Statement): its delegation's focal points and the secretariat.
- `agenda.download_statement_file` (a StatementFile): anyone once the statement is public
  (published and delivered); before that its delegation's focal points, the item's chairs,
  and interpreters while the meeting is in session.
- `agenda.chair_item` (an AgendaItem): the item's chairs (the secretariat, the presiding
  officers, the accounts chairing it).
"""

import rules

from delegations.models import FocalPoint
from delegations.roles import represents as _represents
from meetings.roles import is_secretariat as _is_secretariat

from .roles import chairs as _chairs
from .roles import may_read_texts as _may_read_texts
from .statements.selectors import public_statements


def _statement(obj):
    """The statement of a Statement or a StatementFile."""
    return getattr(obj, "statement", obj)


@rules.predicate
def is_secretariat(user) -> bool:
    return _is_secretariat(user)


@rules.predicate
def is_focal_point(user) -> bool:
    """The account acts for at least one delegation."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cached = getattr(user, "_is_focal_point", None)
    if cached is None:
        cached = FocalPoint.objects.filter(user=user).exists()
        user._is_focal_point = cached
    return cached


@rules.predicate
def represents(user, delegation) -> bool:
    return delegation is not None and _represents(user, delegation)


@rules.predicate
def chairs(user, item) -> bool:
    return item is not None and _chairs(user, item)


@rules.predicate
def represents_its_delegation(user, obj) -> bool:
    """A focal point of the delegation the request, statement or file belongs to."""
    return obj is not None and _represents(user, _statement(obj).delegation)


@rules.predicate
def chairs_its_item(user, obj) -> bool:
    """A chair of the item the request, statement or file is about."""
    return obj is not None and _chairs(user, _statement(obj).item)


@rules.predicate
def reads_texts_of_its_item(user, obj) -> bool:
    """An interpreter while the meeting is in session (or a chair of the item): the texts
    handed in, before they are public (`agenda.roles.may_read_texts`)."""
    return obj is not None and _may_read_texts(user, _statement(obj).item)


@rules.predicate
def is_public_statement(user, obj) -> bool:
    """Published by its delegation, and delivered (`agenda.statements.selectors`)."""
    return obj is not None and public_statements().filter(pk=_statement(obj).pk).exists()


rules.add_perm("agenda.open_my_delegation", is_focal_point | is_secretariat)
rules.add_perm("agenda.act_for_delegation", represents | is_secretariat)
rules.add_perm("agenda.act_for_any_delegation", is_secretariat)
rules.add_perm("agenda.withdraw_floor_request", represents_its_delegation | chairs_its_item)
rules.add_perm("agenda.manage_statement", represents_its_delegation | is_secretariat)
rules.add_perm(
    "agenda.download_statement_file",
    is_public_statement | represents_its_delegation | reads_texts_of_its_item,
)
rules.add_perm("agenda.chair_item", chairs)
