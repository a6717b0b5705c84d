"""Issue 13: the README's table of screens is true: every address opens, for the accounts it
names, on the demo meeting."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from agenda.models import AgendaItem

README = Path(__file__).resolve().parents[1] / "README.md"

pytestmark = pytest.mark.django_db


def screens() -> list[tuple[str, list[str], str]]:
    """(screen, addresses, who) for each row of the README's table of screens."""
    text = README.read_text()
    table = text[text.index("| screen | address | who |") :].split("\n\n")[0]
    rows = []
    for line in table.splitlines()[2:]:
        screen, address, who = (cell.strip() for cell in line.strip("|").split("|"))
        addresses = [a for a in re.findall(r"`(/[^`]*)`", address) if "…" not in a]
        rows.append((screen, addresses, who))
    return rows


def test_the_readme_lists_every_screen_of_each_role():
    names = [screen for screen, _, _ in screens()]
    for screen in ("room screen", "webcast banner", "chair's console", "interpreters' view",
                   "My delegation", "record", "your screens", "the admin"):  # fmt: skip
        assert screen in names


@pytest.mark.parametrize("screen", [row[0] for row in screens()])
def test_each_address_of_the_readme_opens_for_who_it_names(client, demo, screen):
    [(_, addresses, who)] = [row for row in screens() if row[0] == screen]
    item = AgendaItem.objects.get(meeting=demo, parent__label="2", label="c")
    accounts = re.findall(r"`([a-z-]+)`", who)
    if "focal points" in who:
        accounts.append("focal-chl")
    if accounts:
        client.force_login(get_user_model().objects.get(username=accounts[0]))
    assert addresses
    for address in addresses:
        address = address.split(" ")[0].replace("/items/4/", f"/items/{item.pk}/")
        answer = client.get(address, follow=True)
        assert answer.status_code == 200, (screen, address, accounts)
