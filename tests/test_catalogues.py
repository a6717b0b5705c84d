"""Issue 14: the interface's catalogues stay complete and compiled.

- every string of the sources is in each language's catalogue (extracted again with Django's
  `makemessages`, which needs GNU gettext: skipped where it is missing, a failure in CI);
- every entry is translated, none fuzzy, with every plural form the language has and the
  placeholders of the English;
- the compiled catalogues (committed, so that a machine without GNU gettext serves the six
  languages) say exactly what their sources say.
"""

import ast
import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = {"ar": 6, "zh_Hans": 1, "fr": 2, "ru": 3, "es": 2}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+\}")


def _string(lines: list[str]) -> str:
    return "".join(ast.literal_eval(line) for line in lines)


def entries(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (a list), flags."""
    found, entry, key = [], None, None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if entry is not None and "_msgid" in entry:
                found.append(entry)
            entry, key = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry["_" + key].append(line)
        else:
            word, rest = line.split(" ", 1)
            key = word
            entry["_" + key] = [rest]
    for entry in found:
        for name in [k for k in entry if k.startswith("_")]:
            value = _string(entry.pop(name))
            name = name[1:]
            if name.startswith("msgstr"):
                index = int(name[7:-1]) if "[" in name else 0
                entry["msgstr"][index] = value
            else:
                entry[name] = value
    return [entry for entry in found if entry["msgid"] or entry.get("msgctxt")]


def po(language: str) -> Path:
    return ROOT / "locale" / language / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_with_its_plurals_and_placeholders(language):
    problems = []
    for entry in entries(po(language)):
        msgid = entry["msgid"]
        if "fuzzy" in entry["flags"]:
            problems.append(f"fuzzy: {msgid!r}")
        forms = LANGUAGES[language] if "msgid_plural" in entry else 1
        if sorted(entry["msgstr"]) != list(range(forms)):
            problems.append(f"{len(entry['msgstr'])} forms, not {forms}: {msgid!r}")
        wanted = set(PLACEHOLDER.findall(msgid)) | set(
            PLACEHOLDER.findall(entry.get("msgid_plural", ""))
        )
        for index, text in entry["msgstr"].items():
            if not text:
                problems.append(f"not translated: {msgid!r}")
            elif set(PLACEHOLDER.findall(text)) - wanted:
                problems.append(f"form {index} has other placeholders: {msgid!r} → {text!r}")
    assert problems == [], "\n".join(problems[:40])


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_says_what_its_source_says(language):
    with (po(language).with_suffix(".mo")).open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    stale = []
    for entry in entries(po(language)):
        context, msgid = entry.get("msgctxt"), entry["msgid"]
        if "msgid_plural" in entry:
            plural = entry["msgid_plural"]
            for n in (0, 1, 2, 3, 5, 11, 21, 101):
                said = (
                    catalogue.npgettext(context, msgid, plural, n)
                    if context
                    else catalogue.ngettext(msgid, plural, n)
                )
                if said != entry["msgstr"][catalogue.plural(n)]:
                    stale.append(msgid)
            continue
        said = catalogue.pgettext(context, msgid) if context else catalogue.gettext(msgid)
        if said != entry["msgstr"][0]:
            stale.append(msgid)
    assert stale == [], f"compile the catalogue again (msgfmt): {stale[:10]}"


def test_every_string_of_the_sources_is_in_the_catalogues(tmp_path):
    """Extract the strings again into a copy and compare with each committed catalogue."""
    if shutil.which("xgettext") is None:
        skip_or_fail("extracting the strings needs GNU gettext (xgettext)")
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns(".venv", ".git", "locale", "tests", "bench", "staticfiles",
                                    "node_modules", "test-results", "*.sqlite3")  # fmt: skip
    shutil.copytree(ROOT, copy, ignore=ignore)
    (copy / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "-v", "0",
         "--no-location", "--no-obsolete"],
        cwd=copy, check=True, capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings",
             "HOME": str(tmp_path)},
    )  # fmt: skip
    extracted = {
        (entry.get("msgctxt"), entry["msgid"])
        for entry in entries(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    }
    for language in LANGUAGES:
        have = {(entry.get("msgctxt"), entry["msgid"]) for entry in entries(po(language))}
        missing = sorted(msgid for _, msgid in extracted - have)
        assert missing == [], f"{language}: run makemessages and translate: {missing[:10]}"
