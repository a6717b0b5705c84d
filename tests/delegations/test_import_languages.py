"""The delegation and group lists in the six languages: the names a file gives per language,
the States' names filled from ISO where the file leaves them empty, the secretariat's
corrections kept, all or nothing, and exports that carry the six names."""

import io

import openpyxl
import pytest
from django.utils import translation
from import_export.formats import base_formats

from delegations.imports import import_file
from delegations.models import Delegation, Group
from delegations.resources.delegations import DelegationResource
from delegations.resources.groups import GroupResource
from tests.factories import DelegationFactory, MeetingFactory, ParticipationFactory
from tests.helpers import csv

pytestmark = pytest.mark.django_db

COLUMNS = ["name", "name_en", "name_ar", "name_zh_hans", "name_fr", "name_ru", "name_es"]


def stored(code: str) -> dict[str, str | None]:
    """A delegation's name as stored: the original column and one per language."""
    return Delegation.objects.filter(code=code).values(*COLUMNS).get()


def import_delegations(data: bytes, file_name: str = "delegations.csv"):
    return import_file("delegations", data, file_name=file_name)


def xlsx(rows: list[list[str]]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def test_a_csv_gives_the_names_in_the_six_languages():
    MeetingFactory()

    report = import_delegations(
        csv(
            "name,code,category,name_fr,name_es,name_ru,name_ar,name_zh_hans",
            "Chile,CHL,state_party,Chili,Chile,Чили,شيلي,智利",
            "Cluster Munition Coalition,CMC,cmc,Coalition contre les sous-munitions,"
            "Coalición contra las Municiones en Racimo,Коалиция против кассетных боеприпасов,"
            "التحالف المعني بالذخائر العنقودية,集束弹药联盟",
        ).replace(b",,cmc", b",CMC,cmc")
    )

    assert report.ok, report.errors
    assert stored("CHL") == {
        "name": "Chile",
        "name_en": "Chile",
        "name_ar": "شيلي",
        "name_zh_hans": "智利",
        "name_fr": "Chili",
        "name_ru": "Чили",
        "name_es": "Chile",
    }
    assert stored("CMC") == {
        "name": "Cluster Munition Coalition",
        "name_en": "Cluster Munition Coalition",
        "name_ar": "التحالف المعني بالذخائر العنقودية",
        "name_zh_hans": "集束弹药联盟",
        "name_fr": "Coalition contre les sous-munitions",
        "name_ru": "Коалиция против кассетных боеприпасов",
        "name_es": "Coalición contra las Municiones en Racimo",
    }


def test_an_xlsx_row_gives_french_arabic_and_chinese_names():
    MeetingFactory()
    data = xlsx(
        [
            ["name", "code", "category", "name_fr", "name_ar", "name_zh"],
            [
                "International Committee of the Red Cross",
                "ICRC",
                "red_cross",
                "Comité international de la Croix-Rouge",
                "اللجنة الدولية للصليب الأحمر",
                "红十字国际委员会",
            ],
        ]
    )

    report = import_delegations(data, file_name="organizations.xlsx")

    assert report.ok, report.errors
    assert stored("ICRC") == {
        "name": "International Committee of the Red Cross",
        "name_en": "International Committee of the Red Cross",
        "name_ar": "اللجنة الدولية للصليب الأحمر",
        "name_zh_hans": "红十字国际委员会",
        "name_fr": "Comité international de la Croix-Rouge",
        # Not given, not a State: read in English until the secretariat translates it.
        "name_ru": None,
        "name_es": None,
    }
    with translation.override("ru"):
        assert Delegation.objects.get(code="ICRC").name == (
            "International Committee of the Red Cross"
        )
    with translation.override("zh-hans"):
        assert Delegation.objects.get(code="ICRC").name == "红十字国际委员会"


def test_a_state_gets_the_names_the_file_leaves_empty_from_iso():
    MeetingFactory()

    report = import_delegations(
        csv(
            "name,iso3,category,name_fr",
            "Bolivia (Plurinational State of),BOL,state_party,",
            "Republic of Korea,KOR,observer_state,Corée (République de)",
        )
    )

    assert report.ok, report.errors
    assert stored("BOL") == {
        "name": "Bolivia (Plurinational State of)",
        "name_en": "Bolivia (Plurinational State of)",
        "name_ar": "بوليفيا (دولة - المتعددة القوميات)",
        "name_zh_hans": "多民族玻利维亚国",
        "name_fr": "Bolivie (État plurinational de)",
        "name_ru": "Боливия (Многонациональное Государство)",
        "name_es": "Bolivia (Estado Plurinacional de)",
    }
    # The file's French wins over ISO's; the others come from ISO.
    assert stored("KOR") == {
        "name": "Republic of Korea",
        "name_en": "Republic of Korea",
        "name_ar": "جمهورية كوريا",
        "name_zh_hans": "大韩民国",
        "name_fr": "Corée (République de)",
        "name_ru": "Республика Корея",
        "name_es": "República de Corea",
    }


def test_a_name_the_secretariat_corrected_is_kept_unless_the_file_gives_one():
    meeting = MeetingFactory()
    ParticipationFactory(
        meeting=meeting,
        delegation=DelegationFactory(
            code="FRA", name="France", name_fr="République française", name_es=""
        ),
        category="state_party",
    )

    kept = import_delegations(csv("name,iso3,category,name_es", "France,FRA,state_party,"))

    assert kept.ok, kept.errors
    names = stored("FRA")
    assert (names["name_fr"], names["name_es"], names["name_ar"]) == (
        "République française",
        "Francia",
        "فرنسا",
    )

    replaced = import_delegations(
        csv("name,iso3,category,name_fr", "France,FRA,state_party,France")
    )

    assert replaced.summary() == "Imported 1 delegation: 0 new, 1 updated, 0 unchanged."
    assert stored("FRA")["name_fr"] == "France"


def test_an_import_while_another_language_is_active_keeps_english_in_the_english_columns():
    MeetingFactory()

    with translation.override("fr"):
        report = import_delegations(
            csv("name,iso3,category,name_fr", "Germany,DEU,state_party,Allemagne")
        )

    assert report.ok, report.errors
    names = stored("DEU")
    assert (names["name"], names["name_en"], names["name_fr"]) == (
        "Germany",
        "Germany",
        "Allemagne",
    )


def test_two_different_chinese_names_are_refused_with_a_clear_message():
    MeetingFactory()

    report = import_delegations(
        csv("name,iso3,category,name_zh_hans,name_zh", "Germany,DEU,state_party,德国,德國")
    )

    assert report.errors == [
        'Row 2, column "name_zh": The columns "name_zh_hans" and "name_zh" give two different '
        'names ("德国", "德國"). Keep one of them.'
    ]
    assert not Delegation.objects.exists()


def test_a_bad_row_rolls_back_the_names_of_the_good_ones():
    MeetingFactory()
    DelegationFactory(code="CHL", name="Chile", name_fr="Chili")

    report = import_delegations(
        csv(
            "name,iso3,category,name_fr",
            "Chile,CHL,state_party,République du Chili",
            "Peru,PER,state_party," + "P" * 201,
        )
    )

    assert report.errors == [
        'Row 3, column "name_fr": "' + "P" * 39 + '…" is 201 characters long; at most 200 are '
        "allowed."
    ]
    assert stored("CHL")["name_fr"] == "Chili"
    assert not Delegation.objects.filter(code="PER").exists()


def test_the_export_has_the_six_names_and_imports_again_unchanged():
    MeetingFactory(slug="ccm-2025")
    import_delegations(
        csv(
            "name,code,category,name_fr",
            "France,FRA,state_party,",
            "Cluster Munition Coalition,CMC,cmc,Coalition contre les sous-munitions",
        )
    )

    with translation.override("fr"):
        dataset = DelegationResource().export()

    assert dataset.dict == [
        {
            "name": "Cluster Munition Coalition",
            "code": "CMC",
            "kind": "organization",
            "category": "cmc",
            "meeting": "ccm-2025",
            "name_ar": "",
            "name_zh_hans": "",
            "name_fr": "Coalition contre les sous-munitions",
            "name_ru": "",
            "name_es": "",
        },
        {
            "name": "France",
            "code": "FRA",
            "kind": "state",
            "category": "state_party",
            "meeting": "ccm-2025",
            "name_ar": "فرنسا",
            "name_zh_hans": "法国",
            "name_fr": "France",
            "name_ru": "Франция",
            "name_es": "Francia",
        },
    ]
    xlsx_file = base_formats.XLSX().export_data(dataset)
    again = import_delegations(xlsx_file, file_name="delegations.xlsx")
    assert again.summary() == "Imported 2 delegations: 0 new, 0 updated, 2 unchanged."


def test_the_groups_list_reads_and_exports_the_names_in_six_languages():
    meeting = MeetingFactory(slug="ccm-2025")
    ParticipationFactory(meeting=meeting, delegation__code="FRA")

    report = import_file(
        "groups",
        csv(
            "code,name,members,name_fr,name_es,name_ru,name_ar,name_zh",
            "EU,the European Union,FRA,l'Union européenne,la Unión Europea,Европейский союз,"
            "الاتحاد الأوروبي,欧洲联盟",
        ),
        file_name="groups.csv",
    )

    assert report.ok, report.errors
    assert Group.objects.values(*COLUMNS).get() == {
        "name": "the European Union",
        "name_en": "the European Union",
        "name_ar": "الاتحاد الأوروبي",
        "name_zh_hans": "欧洲联盟",
        "name_fr": "l'Union européenne",
        "name_ru": "Европейский союз",
        "name_es": "la Unión Europea",
    }
    exported = GroupResource().export()
    assert exported.dict[0]["name_fr"] == "l'Union européenne"
    again = import_file("groups", exported.export("csv").encode(), file_name="groups.csv")
    assert again.summary() == "Imported 1 group: 0 new, 0 updated, 1 unchanged."
