"""Issue 14: a delegate can use the whole product in each language — every public page, the
chair's console, My delegation, the screens and the start page, rendered with the demo meeting
in session, show no English left in their visible text.

Each page is rendered in English and in the language; a run of visible text (a text node, or a
title, alt, aria-label, placeholder or button value) that reads exactly as in the English
rendering and is made of English words is English left over. What reads the same in every
language is not: codes ("2(c)"), document symbols ("CCM/MSP/2025/3"), delegation codes and
acronyms, the names of persons, numbers and times, the language menu's native names, the
product's name and e-mail addresses.

The tests marked `languages` hold once the catalogues are regenerated and translated and the
demo's content is in the six languages (`pytest -m languages tests/test_no_english_left.py`).
A failure lists each English run once, with where it comes from ([interface]: a string of the
templates or the code; [content]: a row of the database) and the pages that show it.
"""

import datetime
import re
from collections import defaultdict
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import CharField, F, TextField
from django.utils import translation
from django.utils.translation import gettext, trans_real
from modeltranslation.translator import translator

from agenda.models import AgendaItem, FloorRequest, Proposal, RecordNote
from agenda.speakers import services, speeches
from agenda.speakers.admission import SignUp, closed_message
from delegations.models import Delegate, Guest
from meetings.languages import column_suffix
from meetings.models import Meeting

LANGUAGES = ["ar", "zh-hans", "fr", "ru", "es"]
PRODUCT = "Intersessional"
VISIBLE_ATTRIBUTES = {"title", "alt", "aria-label", "placeholder"}
# Text the page's script shows in place of another ("Over time", "Paused"…).
SHOWN_BY_SCRIPT = re.compile(r"data-([a-z-]+-text|template)")
HIDDEN_ELEMENTS = {"script", "style", "template", "noscript"}

# What reads the same in every language, removed from a run before looking for English words.
SAME_EVERYWHERE = [
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),  # e-mail addresses
    re.compile(r"\b[A-Z]{2,}[A-Za-z0-9]*(/[\w.()-]+)+"),  # symbols: CCM/MSP/2025/3, CCM/CONF/…
    re.compile(r"\b\d+(\s?\([a-z]{1,4}\))*"),  # item codes 2(c), 84 (iii) (b), numbers
    re.compile(r"\b[A-Z][A-Z0-9-]{1,9}\b"),  # codes and acronyms: CHL, ICRC, UN-WOMEN, PDF
    re.compile(r"\b\d{1,2}:\d{2}\b"),  # times
]
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
# What people write in the language they choose, shown as written: names of persons, notes and
# proposals of the record, a note to the chair, the reason for a move.
KEPT_AS_ENTERED = {
    Delegate: ["name", "title"],
    FloorRequest: ["speaker_name", "note", "pin_reason"],
    RecordNote: ["text"],
    Proposal: ["text"],
}
CONTEXT_SEPARATOR = "\x04"


class VisibleText(HTMLParser):
    """The runs of text a reader sees or hears: text nodes outside script and style, and the
    attributes a browser shows or reads out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[str] = []
        self.hidden = 0

    def _add(self, text: str) -> None:
        text = " ".join(text.split())
        if text:
            self.runs.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN_ELEMENTS:
            self.hidden += 1
            return
        values = dict(attrs)
        for name, value in attrs:
            if value and (name in VISIBLE_ATTRIBUTES or SHOWN_BY_SCRIPT.fullmatch(name)):
                self._add(value)
        if tag == "input" and values.get("type") in {"submit", "button", "reset"}:
            self._add(values.get("value") or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in HIDDEN_ELEMENTS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN_ELEMENTS and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self._add(data)


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser.runs


def is_english(run: str, names: set[str]) -> bool:
    """A run holds English words once what reads the same everywhere is taken out."""
    for name in sorted(names, key=len, reverse=True):
        run = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", run)
    for pattern in SAME_EVERYWHERE:
        run = pattern.sub(" ", run)
    return bool(ENGLISH_WORD.search(run))


def english_left(english: list[str], translated: list[str], names: set[str]) -> list[str]:
    """The runs of the translated rendering that read exactly as the English one's and are
    English words (each once, in the order of the page)."""
    same = set(english)
    found: list[str] = []
    for run in translated:
        if run in same and run not in found and is_english(run, names):
            found.append(run)
    return found


def translated_as_in_english(language: str) -> set[str]:
    """What the language writes as English does: a catalogue's entry whose translation is its
    English ("Programme", "Document" in French), a translated field whose value in the language
    is its English one ("Chile" in Spanish)."""
    catalogue = trans_real.translation(language)._catalog
    same = {
        key.split(CONTEXT_SEPARATOR)[-1]
        for key, value in catalogue.items()
        if isinstance(key, str) and key.split(CONTEXT_SEPARATOR)[-1] == value
    }
    suffix = column_suffix(language)
    for model in translator.get_registered_models():
        for field in translator.get_options_for_model(model).fields:
            rows = model.objects.filter(**{f"{field}_en": F(f"{field}_{suffix}")})
            same |= set(rows.exclude(**{f"{field}_en": ""}).values_list(f"{field}_en", flat=True))
    return {text for text in same if text}


def names_that_stay(meeting: Meeting, language: str) -> set[str]:
    """The product's name, the language menu's names, the names of persons, and what the
    language writes as English does."""
    users = get_user_model().objects.all()
    names = {PRODUCT, *(name for _code, name in settings.LANGUAGES), meeting.president}
    names |= translated_as_in_english(language)
    names |= set(Guest.objects.filter(meeting=meeting).values_list("name", flat=True))
    names |= set(users.values_list("username", flat=True))
    names |= {user.get_full_name() for user in users if user.get_full_name()}
    for model, fields in KEPT_AS_ENTERED.items():
        for field in fields:
            names |= set(model.objects.values_list(field, flat=True))
    return {name for name in names if name}


# --- the pages ------------------------------------------------------------------------------


@pytest.fixture
def meeting_day(demo):
    """The demo in session, 2(c) under discussion: Chile speaking; Poland for the EU, France
    with Austria and a panellist waiting (as in the accessibility tests)."""
    Meeting.objects.filter(pk=demo.pk).update(status=Meeting.Status.IN_SESSION)
    item = AgendaItem.objects.select_related("meeting").get(
        meeting=demo, parent__label="2", label="c"
    )
    AgendaItem.objects.filter(pk=item.pk).update(under_discussion=True)
    users = get_user_model().objects
    president = users.get(username="president")
    delegation = {
        code: demo.participations.get(delegation__code=code).delegation
        for code in ("CHL", "POL", "FRA")
    }
    services.floor_request_create(
        item=item, delegation=delegation["CHL"], kind="statement",
        user=users.get(username="focal-chl"),
    )  # fmt: skip
    services.floor_request_create(
        item=item, delegation=delegation["POL"], kind="statement",
        user=users.get(username="focal-pol"), on_behalf_of="EU",
    )  # fmt: skip
    services.floor_request_create(
        item=item, delegation=delegation["FRA"], kind="statement",
        user=users.get(username="focal-fra"), co_sponsors=["AUT"],
    )  # fmt: skip
    services.guest_put_on_list(
        item=item, name="Dr Ana Reyes", kind="statement", user=president, presence="remote"
    )
    speeches.speaker_call_next(item=item, user=president)
    return item


def pages(item: AgendaItem) -> dict[str | None, list[str]]:
    """Every page, by who opens it (None: the public)."""
    meeting = f"/meetings/{item.meeting.slug}"
    items = AgendaItem.objects.filter(meeting=item.meeting).order_by("pk")
    waiting = FloorRequest.objects.filter(item=item, status="waiting").order_by("pk").last()
    proposals = items.get(parent__label="2", label="j")
    return {
        None: [
            "/",
            f"{meeting}/",
            *(f"{meeting}/items/{pk}/" for pk in items.values_list("pk", flat=True)),
            f"{meeting}/delegations/",
            f"{meeting}/statements/",
            f"{meeting}/record/",
            f"{meeting}/record/items/{item.pk}/",
            f"{meeting}/record/items/{item.pk}/print/",
            f"{meeting}/record/delegations/CHL/",
            f"{meeting}/record/statistics/",
            f"{meeting}/record/lap/",
            f"{meeting}/room/",
            f"{meeting}/room/banner/",
            "/accounts/login/",
            "/accounts/password-reset/",
            "/accounts/password-reset/sent/",
            "/no-such-page/",
        ],
        "focal-pol": [
            "/start/",
            "/my-delegation/",
            f"{meeting}/my-delegation/POL/",
            f"{meeting}/my-delegation/POL/items/{item.pk}/statements/",
        ],
        "president": [
            "/start/",
            f"{meeting}/chair/",
            f"{meeting}/chair/items/{item.pk}/",
            f"{meeting}/chair/items/{item.pk}/move/?entry={waiting.pk}",
            f"{meeting}/interpreters/",
            f"{meeting}/record/items/{item.pk}/",
            f"{meeting}/record/items/{proposals.pk}/",
            f"{meeting}/record/lap/clearance-risk-education/inputs/",
        ],
        "interpreter": [f"{meeting}/interpreters/"],
        "secretariat": ["/start/"],
    }


def render(client, path: str, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    answer = client.get(path, follow=True)
    assert answer.status_code == (404 if "no-such" in path else 200), (path, language)
    return answer.content.decode()


def english_on_pages(client, item: AgendaItem, language: str) -> dict[str, list[str]]:
    names = names_that_stay(item.meeting, language)
    found: dict[str, list[str]] = defaultdict(list)
    users = get_user_model().objects
    for role, paths in pages(item).items():
        client.logout()
        if role:
            client.force_login(users.get(username=role))
        for path in paths:
            page = f"{role or 'public'} {path}"
            try:
                english = visible_text(render(client, path, "en"))
                translated = visible_text(render(client, path, language))
            except Exception as error:  # one broken page does not hide the others
                found[page].append(f"does not render: {error!r}")
                continue
            for run in english_left(english, translated, names):
                found[page].append(run)
    return dict(found)


def content_in_english() -> set[str]:
    """The English text the meeting's rows hold (agenda titles, States' names, the meeting's
    description, speakers' titles…): to tell content from the interface in the report."""
    values: set[str] = set()
    for app in ("meetings", "delegations", "agenda"):
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, CharField | TextField) and not field.choices:
                    column = f"{field.name}_en" if f"{field.name}_en" in fields_of(model) else None
                    values |= set(model.objects.values_list(column or field.name, flat=True))
    return {value for value in values if value and len(value) > 3}


def fields_of(model) -> set[str]:
    return {field.name for field in model._meta.concrete_fields}


def is_content(run: str, content: set[str]) -> bool:
    """The run shows a row's text, perhaps shortened ("2(c) Clearance and destruction …") or
    capitalised."""
    run = run.lower()
    bare = re.sub(r"^\d+(\([a-z]\))?\s", "", run).strip("…–·, ")
    return any(
        value.lower() in run or (len(bare) > 3 and bare in value.lower()) for value in content
    )


def report(found: dict[str, list[str]]) -> list[str]:
    """One line per English run: where it comes from (the interface, or the meeting's content
    from the database), the run, and the pages showing it."""
    content = content_in_english()
    pages_of_run: dict[str, list[str]] = defaultdict(list)
    for page, runs in found.items():
        for run in runs:
            pages_of_run[run].append(page)
    lines = []
    for run, where in pages_of_run.items():
        source = "content" if is_content(run, content) else "interface"
        more = f" (+{len(where) - 2} more)" if len(where) > 2 else ""
        lines.append(f"[{source}] {run!r} on {', '.join(where[:2])}{more}")
    return sorted(lines)


@pytest.mark.languages
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_reads_in_the_language_with_no_english_left(client, meeting_day, language):
    lines = report(english_on_pages(client, meeting_day, language))
    assert lines == [], f"{len(lines)} English runs in {language}:\n" + "\n".join(lines)


def test_every_arabic_page_reads_right_to_left(client, meeting_day):
    users = get_user_model().objects
    wrong = []
    for role, paths in pages(meeting_day).items():
        client.logout()
        if role:
            client.force_login(users.get(username=role))
        for path in paths:
            html = render(client, path, "ar")
            if '<html lang="ar" dir="rtl">' not in html:
                wrong.append(f"{role or 'public'} {path}")
    assert wrong == []


# --- the comparison itself, without a database ------------------------------------------------


def test_visible_text_is_text_nodes_and_the_attributes_read_out():
    html = (
        "<html><head><title>Programme</title><style>p{color:red}</style></head><body>"
        '<script src="x.js">var a = "Hidden";</script>'
        '<p title="More about it">Has the <b>floor</b></p><img alt="Logo" src="l.svg">'
        '<span data-over-text="Over time" data-item="4"></span>'
        '<input type="search" placeholder="Search a State"><input type="submit" value="Send">'
        '<button aria-label="Close">×</button><noscript>Turn on JavaScript</noscript></body></html>'
    )
    assert visible_text(html) == [
        "Programme", "More about it", "Has the", "floor", "Logo", "Over time", "Search a State",
        "Send",
        "Close", "×",
    ]  # fmt: skip


def test_english_left_is_english_text_that_did_not_change():
    names = {"Ambassador Carlos D. Sorreta", "Intersessional", "Français", "focal-pol", "Date"}
    english = [
        "Request the floor", "2(c)", "CCM/MSP/2025/3", "Ambassador Carlos D. Sorreta", "10:00",
        "Intersessional", "Français", "CHL", "ICRC", "secretariat@example.org", "7 April 2025",
        "84 (iii) (b)", "2(c) Article 4 extension requests", "Sign out (focal-pol)", "Chile",
        "Date", "Dates",
    ]  # fmt: skip
    french = [
        "Demander la parole", "2(c)", "CCM/MSP/2025/3", "Ambassador Carlos D. Sorreta", "10:00",
        "Intersessional", "Français", "CHL", "ICRC", "secretariat@example.org", "7 avril 2025",
        "84 (iii) (b)", "2(c) Article 4 extension requests", "Sign out (focal-pol)", "Chile",
        "Chili", "Date", "Dates",
    ]  # fmt: skip
    assert english_left(english, french, names) == [
        "2(c) Article 4 extension requests",
        "Sign out (focal-pol)",
        "Chile",
        "Dates",
    ]


# --- dates in each language's way -------------------------------------------------------------


def test_the_day_a_list_opens_is_written_in_the_language():
    """The refusal a delegation reads before the list opens names the month in its language
    (it was written with the C library's English month names: "07 April 2025" in French)."""
    opens = datetime.datetime(2025, 4, 7, 8, 0, tzinfo=datetime.UTC)
    with translation.override("fr"):
        message = closed_message(SignUp.NOT_YET_OPEN, opens, ZoneInfo("Europe/Zurich"))
        expected = gettext("The list of speakers opens at %(time)s.") % {
            "time": "7 avril 2025, 10:00"
        }
    assert message == expected


@pytest.mark.languages
@pytest.mark.parametrize(
    ("language", "day"),
    [("zh-hans", "2025年4月7日"), ("ru", "7 апреля 2025"), ("es", "7 de abril de 2025")],
)
def test_the_programme_writes_its_days_as_the_language_does(client, demo, language, day):
    """The sittings' days in the order and the grammar of the language (the date formats are
    translated in the catalogues: "l j F Y" is English's)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(f"/meetings/{demo.slug}/").content.decode()
    assert day in html


@pytest.mark.languages
@pytest.mark.parametrize(("language", "comma"), [("ar", "، "), ("zh-hans", "、")])
def test_the_room_screen_separates_as_the_language_does(client, meeting_day, language, comma):
    """ "Poland, on behalf of the European Union": the comma of the language (Arabic "،",
    Chinese "、"), not the English one between Arabic or Chinese words."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(f"/meetings/{meeting_day.meeting.slug}/room/").content.decode()
    assert f'<span class="speaker-capacity">{comma}' in html
