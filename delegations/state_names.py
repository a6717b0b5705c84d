"""The names of States in the six languages, from ISO 3166-1 as translated by the iso-codes
project (shipped, with its gettext catalogues, in the `pycountry` package).

`state_names("FRA")` gives `{"en": "France", "fr": "France", "es": "Francia", ...}`, keyed by
the codes of `settings.LANGUAGES`. English is the secretariat's when given (the UN's short
name, "Bolivia (Plurinational State of)"), else ISO's. The other languages are ISO's, put in
the form UN documents use:

- ISO writes some names inverted ("Corée, République de", Arabic with "،"). When the English
  name has parentheses the result has them too ("Iran (République islamique d')"); otherwise
  ISO's official name is used where it is translated, else the two parts are turned round
  ("République de Corée"). Where the second part already holds the first (Arabic "كوريا،
  جمهورية كوريا") the second part alone is the name.
- When the English name is ISO's official one ("United Kingdom of Great Britain and Northern
  Ireland", "Republic of Moldova"), the official name's translation is used.
- Arabic loses its vowel marks and gets the conjunction "و" joined to the next word; Russian
  writes "е" for "ё" and loses stress marks: as UN documents are written, and as people type
  when they search.
- `OVERRIDES` corrects by hand, for the States the project's lists hold, the few names that
  ISO gives in a form the UN does not use. A name ISO does not translate is left out, so that
  the page falls back to English and the admin shows the gap.

Pure: no database, no settings.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from functools import cache

import pycountry

#: Our language codes and the iso-codes catalogue of each ("zh_CN": simplified characters).
CATALOGUES = {"ar": "ar", "zh-hans": "zh_CN", "fr": "fr", "ru": "ru", "es": "es"}
#: The order of `settings.LANGUAGES`.
LANGUAGES = ("ar", "zh-hans", "en", "fr", "ru", "es")

INVERTED = re.compile(r"^(?P<head>[^,،]+)[,،]\s*(?P<tail>[^,،]+)$")
ARABIC_MARKS = re.compile("[\u064b-\u0652]")
ARABIC_LOOSE_AND = re.compile(r"(?<=\s)و\s+(?=\S)")
#: Spellings of the iso-codes Arabic catalogue that UN documents write otherwise.
ARABIC_SPELLINGS = {"إفريقيا": "أفريقيا", "الديموقراطية": "الديمقراطية"}

#: Names corrected by hand, for the States of the project's lists: only where ISO's name is not
#: the one UN documents use. Each group says why.
OVERRIDES: dict[str, dict[str, str]] = {
    # ISO names the Vatican City State; the party to the Convention is the Holy See (the Arabic
    # catalogue even has "the holy seat").
    "VAT": {
        "en": "Holy See",
        "fr": "Saint-Siège",
        "es": "Santa Sede",
        "ru": "Святой Престол",
        "ar": "الكرسي الرسولي",
        "zh-hans": "教廷",
    },
    # The UN's names since 2009 (Bolivia) and 2023 (Netherlands); ISO gives the old or the
    # short one.
    "BOL": {
        "en": "Bolivia (Plurinational State of)",
        "es": "Bolivia (Estado Plurinacional de)",
        "ru": "Боливия (Многонациональное Государство)",
        "ar": "بوليفيا (دولة - المتعددة القوميات)",
        "zh-hans": "多民族玻利维亚国",
    },
    "NLD": {
        "en": "Netherlands (Kingdom of the)",
        "fr": "Pays-Bas (Royaume des)",
        "es": "Países Bajos (Reino de los)",
        "ru": "Нидерланды (Королевство)",
        "ar": "هولندا (مملكة)",
        "zh-hans": "荷兰王国",
    },
    # Names the State asked the UN to use, which ISO's catalogues do not follow yet.
    "TUR": {"fr": "Türkiye", "es": "Türkiye", "ar": "تركيا"},
    "CPV": {"fr": "Cabo Verde", "ar": "كابو فيردي"},
    "CIV": {"es": "Côte d'Ivoire", "ar": "كوت ديفوار"},
    "CZE": {"ar": "تشيكيا"},
    "SWZ": {"es": "Eswatini"},
    # The UN's short name where ISO gives a longer or another one.
    "COG": {"fr": "Congo"},
    "SLV": {"fr": "El Salvador"},
    "COM": {"es": "Comoras"},
    "MDV": {"es": "Maldivas"},
    "PSE": {"fr": "État de Palestine"},
    "HUN": {"ar": "هنغاريا"},
    "MNE": {"ar": "الجبل الأسود"},
    "DOM": {"ru": "Доминиканская Республика", "ar": "الجمهورية الدومينيكية"},
    "CAF": {"ru": "Центральноафриканская Республика"},
    "LAO": {"fr": "République démocratique populaire lao"},
    "KNA": {"fr": "Saint-Kitts-et-Nevis"},
    "NIU": {"fr": "Nioué"},
    "MDA": {"es": "República de Moldova"},
    "TZA": {"fr": "République-Unie de Tanzanie", "es": "República Unida de Tanzanía"},
    # UN Spanish keeps these States' own spelling; ISO's catalogue adapts it.
    "BEN": {"es": "Benin"},
    "BFA": {"es": "Burkina Faso"},
    "BWA": {"es": "Botswana"},
    "DJI": {"es": "Djibouti"},
    "FJI": {"es": "Fiji"},
    "GNB": {"es": "Guinea-Bissau"},
    "IRQ": {"fr": "Iraq", "es": "Iraq"},
    "KEN": {"es": "Kenya"},
    "LSO": {"es": "Lesotho"},
    "MWI": {"es": "Malawi"},
    "RWA": {"es": "Rwanda"},
    # Spelling: an accent missing in ISO's catalogue, or the form used in Taiwan for a name
    # the mainland (and the UN) writes otherwise.
    "NER": {"es": "Níger"},
    "TUN": {"es": "Túnez"},
    "GTM": {"zh-hans": "危地马拉"},
    "MLT": {"zh-hans": "马耳他"},
}


class _Untranslated(gettext.NullTranslations):
    """The fallback of a catalogue: an empty string for a name it does not translate."""

    def gettext(self, message):
        return ""


@cache
def catalogue(language: str) -> gettext.NullTranslations:
    found = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[CATALOGUES[language]], fallback=True
    )
    found.add_fallback(_Untranslated())
    return found


def translated(text: str, language: str) -> str:
    """`text` in `language` from the iso-codes catalogue, or "" when it has none."""
    if not text:
        return ""
    if language == "en":
        return text
    return catalogue(language).gettext(text)


def comparable(name: str) -> str:
    return name.casefold().removeprefix("the ").strip()


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def uninverted(name: str, *, parenthesised: bool, official: str = "") -> str:
    """ISO's `name` in the order UN documents write it (see the module's docstring)."""
    match = INVERTED.match(name)
    if match is None:
        return name
    head, tail = match["head"].strip(), match["tail"].strip()
    if head in tail:
        return tail
    if parenthesised:
        return f"{head} ({capitalised(tail)})"
    if official:
        return official
    return f"{capitalised(tail)} {head}"


def normalised(name: str, language: str) -> str:
    name = " ".join(name.split())
    if language == "ar":
        name = ARABIC_MARKS.sub("", name)
        name = ARABIC_LOOSE_AND.sub("و", name)
        for found, wanted in ARABIC_SPELLINGS.items():
            name = name.replace(found, wanted)
    elif language == "ru":
        name = unicodedata.normalize("NFD", name).replace("\u0301", "")
        name = unicodedata.normalize("NFC", name).replace("ё", "е").replace("Ё", "Е")
    return name


def iso_name(country, language: str, english: str) -> str:
    """ISO's name of `country` in `language`, in UN order; "" when ISO does not translate
    it."""
    official = getattr(country, "official_name", "")
    if (
        official
        and english
        and comparable(english) == comparable(official)
        and comparable(english) != comparable(country.name)
    ):
        found = translated(official, language)
        if found:
            return found
    name = translated(country.name, language)
    if not name:
        return ""
    parenthesised = "(" in english
    official_translation = "" if parenthesised else translated(official, language)
    return uninverted(name, parenthesised=parenthesised, official=official_translation)


def state_names(iso3: str, english: str = "") -> dict[str, str]:
    """The name of the State with the ISO 3166-1 alpha-3 code `iso3` in each language it is
    known in, keyed by our language codes ("ar", "zh-hans", "en", "fr", "ru", "es").

    `english` is the secretariat's English name (kept as it is); without it, ISO's. An unknown
    code gives the English name alone (nothing without one)."""
    english = english.strip()
    code = iso3.strip().upper()
    country = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    overrides = OVERRIDES.get(code, {})
    if country is None:
        return {"en": english} if english else {}
    if not english:
        english = overrides.get("en") or iso_name(country, "en", "")
    names = {}
    for language in LANGUAGES:
        if language == "en":
            names[language] = english
            continue
        name = overrides.get(language) or iso_name(country, language, english)
        if name:
            names[language] = normalised(name, language)
    return names
