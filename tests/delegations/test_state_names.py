"""The names of States in the six languages (ISO 3166-1 as the iso-codes project translates
it), in the forms UN documents use. No database."""

import csv

from django.conf import settings

from delegations.state_names import OVERRIDES, state_names, uninverted

STATES_FILE = settings.BASE_DIR / "delegations" / "data" / "states-2025-04.csv"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
#: Traditional characters that the simplified forms of States' names replace (國 → 国 …).
TRADITIONAL = set("國蘭爾亞馬聯維來島羅薩與義紐喬賴貝倫納盧灣齊")


def shipped_states() -> list[dict[str, str]]:
    with STATES_FILE.open(encoding="utf-8-sig") as file:
        return list(csv.DictReader(file))


def test_france_in_the_six_languages():
    assert state_names("FRA", "France") == {
        "ar": "فرنسا",
        "zh-hans": "法国",
        "en": "France",
        "fr": "France",
        "ru": "Франция",
        "es": "Francia",
    }


def test_the_keys_are_the_languages_of_the_settings():
    assert list(state_names("DEU", "Germany")) == LANGUAGES


def test_an_inverted_iso_name_is_turned_round():
    names = state_names("KOR", "Republic of Korea")

    assert names["fr"] == "République de Corée"
    assert names["es"] == "República de Corea"
    # Arabic gives "Korea، Republic of Korea": the second part alone is the name.
    assert names["ar"] == "جمهورية كوريا"
    assert names["zh-hans"] == "大韩民国"


def test_a_parenthesised_english_name_keeps_its_parentheses():
    names = state_names("IRN", "Iran (Islamic Republic of)")

    assert names["en"] == "Iran (Islamic Republic of)"
    assert names["fr"] == "Iran (République islamique d')"
    assert names["es"] == "Irán (República islámica de)"


def test_the_first_letter_in_the_parentheses_is_a_capital():
    # ISO writes "Bolivie, état plurinational de".
    assert state_names("BOL", "Bolivia (Plurinational State of)")["fr"] == (
        "Bolivie (État plurinational de)"
    )


def test_without_parentheses_the_official_name_is_preferred_to_turning_round():
    # ISO: "Moldova, République de"; official name "République de Moldova".
    assert state_names("MDA", "Republic of Moldova")["fr"] == "République de Moldova"
    # ISO: "Micronésie, États fédérés de".
    assert state_names("FSM", "Micronesia (Federated States of)")["fr"] == (
        "Micronésie (États fédérés de)"
    )
    assert state_names("FSM")["fr"] == "États fédérés de Micronésie"


def test_an_english_name_that_is_iso_official_name_takes_its_translations():
    names = state_names("GBR", "United Kingdom of Great Britain and Northern Ireland")

    assert names["fr"] == "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord"
    assert names["es"] == "Reino Unido de Gran Bretaña e Irlanda del Norte"
    # Russian as UN documents write it: "е", not "ё".
    assert names["ru"] == "Соединенное Королевство Великобритании и Северной Ирландии"
    # Arabic without vowel marks, "و" joined to the next word.
    assert names["ar"] == "المملكة المتحدة لبريطانيا العظمى وأيرلندا الشمالية"
    assert names["zh-hans"] == "大不列颠及北爱尔兰联合王国"


def test_without_an_english_name_iso_english_is_used_in_un_order():
    assert state_names("KOR")["en"] == "Republic of Korea"
    assert state_names("CHL")["en"] == "Chile"


def test_an_unknown_code_gives_the_english_name_only():
    assert state_names("XKX", "Kosovo") == {"en": "Kosovo"}
    assert state_names("ICRC", "International Committee of the Red Cross") == {
        "en": "International Committee of the Red Cross"
    }
    assert state_names("XKX") == {}


def test_a_name_iso_does_not_translate_is_left_out_for_the_english_fallback():
    # The Arabic catalogue has no entry for "Türkiye" yet; the hand-made one fills it.
    assert "ar" in OVERRIDES["TUR"]
    names = state_names("TUR", "Türkiye")
    assert names["ar"] == "تركيا"
    assert (names["fr"], names["es"], names["ru"], names["zh-hans"]) == (
        "Türkiye",
        "Türkiye",
        "Турция",
        "土耳其",
    )


def test_the_states_whose_iso_names_the_un_does_not_use():
    assert state_names("VAT", "Holy See") == {
        "ar": "الكرسي الرسولي",
        "zh-hans": "教廷",
        "en": "Holy See",
        "fr": "Saint-Siège",
        "ru": "Святой Престол",
        "es": "Santa Sede",
    }
    assert state_names("NLD", "Netherlands (Kingdom of the)")["fr"] == "Pays-Bas (Royaume des)"
    assert state_names("NLD", "Netherlands (Kingdom of the)")["es"] == (
        "Países Bajos (Reino de los)"
    )
    assert state_names("PSE", "State of Palestine")["fr"] == "État de Palestine"
    assert state_names("PSE", "State of Palestine")["ru"] == "Государство Палестина"
    assert state_names("CIV", "Côte d'Ivoire")["es"] == "Côte d'Ivoire"
    assert state_names("NIU", "Niue")["fr"] == "Nioué"
    assert state_names("COK", "Cook Islands") == {
        "ar": "جزر كوك",
        "zh-hans": "库克群岛",
        "en": "Cook Islands",
        "fr": "Îles Cook",
        "ru": "Острова Кука",
        "es": "Islas Cook",
    }


def test_every_state_of_the_shipped_list_has_its_name_in_the_six_languages():
    for state in shipped_states():
        names = state_names(state["iso3"], state["name"])

        assert list(names) == LANGUAGES, state["iso3"]
        assert names["en"] == state["name"]
        for language, name in names.items():
            assert name == " ".join(name.split()), (state["iso3"], language, name)
            # No inverted form is left ("Corée, République de"), in any script.
            assert "," not in name and "،" not in name, (state["iso3"], language, name)


def test_chinese_names_are_in_simplified_characters():
    chinese = {state["iso3"]: state_names(state["iso3"])["zh-hans"] for state in shipped_states()}

    assert chinese["DEU"] == "德国"
    assert chinese["GTM"] == "危地马拉"
    assert chinese["MLT"] == "马耳他"
    assert {code for code, name in chinese.items() if TRADITIONAL & set(name)} == set()


def test_arabic_and_russian_names_have_no_marks_a_search_would_miss():
    names = [state_names(state["iso3"], state["name"]) for state in shipped_states()]

    assert state_names("AUT")["ar"] == "النمسا"  # ISO: "النّمسا"
    assert state_names("IRN")["ru"] == "Исламская Республика Иран"  # ISO: "Респу́блика"
    assert [n["ar"] for n in names if any("\u064b" <= c <= "\u0652" for c in n["ar"])] == []
    assert [n["ru"] for n in names if "ё" in n["ru"] or "\u0301" in n["ru"]] == []


def test_turning_round_by_rule():
    assert uninverted("Corée, République de", parenthesised=False) == "République de Corée"
    assert uninverted("Iran, République islamique d'", parenthesised=True) == (
        "Iran (République islamique d')"
    )
    assert uninverted("كوريا، جمهورية كوريا", parenthesised=False) == "جمهورية كوريا"
    assert uninverted("Moldova, République de", parenthesised=False, official="X") == "X"
    assert uninverted("France", parenthesised=True) == "France"
