"""The demo in the six languages: every translated field of its content is filled in each
language, and its pages read in the language asked for."""

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import translation
from modeltranslation.translator import translator

from agenda.demo import ccm2025
from agenda.demo.load import demo_load
from agenda.models import AgendaItem, LapAction, LapArea
from delegations.models import Delegation, Group
from meetings.languages import column_suffix
from meetings.models import Document, Meeting, Sitting
from tests.helpers import text as visible_text

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
TRANSLATED_CONTENT = {Meeting, Sitting, Document, AgendaItem, LapArea, LapAction, Delegation, Group}


def stored_texts(model, field: str) -> list[tuple]:
    """Each row's `field` as stored: (pk, the original column, one column per language). In
    SQL: a translated model's queries read the original column in the active language."""
    quote = connection.ops.quote_name
    columns = [field] + [f"{field}_{column_suffix(code)}" for code in LANGUAGES]
    selected = ", ".join(map(quote, [model._meta.pk.column, *columns]))
    # Names from the model's metadata, quoted.
    sql = f"SELECT {selected} FROM {quote(model._meta.db_table)} ORDER BY 1"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def untranslated() -> dict[str, list]:
    """What is missing, by "Model.field": (pk, the languages without text), and the rows whose
    original column is not their English text."""
    found = {}
    for model in translator.get_registered_models(abstract=False):
        for field in translator.get_options_for_model(model).fields:
            for pk, original, *texts in stored_texts(model, field):
                by_language = dict(zip(LANGUAGES, texts, strict=True))
                english = by_language["en"] or ""
                gaps = [code for code, text in by_language.items() if bool(text) != bool(english)]
                if original != english:
                    gaps.append(f"original column {original!r}")
                if gaps:
                    found.setdefault(f"{model.__name__}.{field}", []).append((pk, gaps))
    return found


def test_every_translated_field_of_the_demo_has_the_six_languages(demo):
    assert untranslated() == {}
    # The check reads every model whose content is translated (any registered later too).
    assert set(translator.get_registered_models(abstract=False)) >= TRANSLATED_CONTENT
    assert Delegation.objects.count() == 125 + len(ccm2025.ORGANIZATIONS)
    assert LapArea.objects.count() == 4
    assert AgendaItem.objects.count() == 11


def test_the_demo_reads_in_each_language(demo):
    item_j = AgendaItem.objects.get(label="j")
    meeting = Meeting.objects.get(slug=ccm2025.MEETING_SLUG)
    eu = Group.objects.get(code="EU")
    holy_see = Delegation.objects.get(code="VAT")

    expected = {
        "ar": "الشواغل والتحديات التي أثيرت في الاجتماع الثاني عشر للدول الأطراف",
        "zh-hans": "缔约国第十二次会议上提出的关切和挑战",
        "en": "Concerns and challenges raised at the 12th Meeting of States Parties",
        "fr": "Préoccupations et difficultés soulevées à la douzième Assemblée des États parties",
        "ru": "Проблемы и вызовы, поднятые на двенадцатом Совещании государств-участников",
        "es": "Preocupaciones y desafíos planteados en la 12ª Reunión de los Estados Partes",
    }
    for code, title in expected.items():
        with translation.override(code):
            assert item_j.title == title
    with translation.override("fr"):
        assert meeting.title == (
            "Réunion intersessions 2025 de la Convention sur les armes à sous-munitions"
        )
        assert (eu.name, holy_see.name) == ("l'Union européenne", "Saint-Siège")
    with translation.override("zh-hans"):
        assert Delegation.objects.get(code="ICRC").name == "红十字国际委员会"


def test_the_french_programme_page_is_in_french(client, demo):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    response = client.get(reverse("meeting_detail", kwargs={"slug": ccm2025.MEETING_SLUG}))

    assert response.status_code == 200
    text = visible_text(response)
    assert "Convention sur les armes à sous-munitions" in text
    assert "État général et fonctionnement de la Convention" in text
    assert "Préoccupations et difficultés soulevées à la douzième Assemblée des États parties" in (
        text
    )
    assert "General status and operation of the Convention" not in text


def test_a_second_load_fills_the_languages_a_row_lacks_while_its_english_is_the_demos():
    demo_load()
    AgendaItem.objects.filter(label="j").update(title_fr=None, title_es="")
    AgendaItem.objects.filter(label="c").update(title_en="Clearance", title_fr=None)
    Delegation.objects.filter(code="FRA").update(name_ru=None)
    Delegation.objects.filter(code="CHL").update(name_fr="Chili (corrigé)")

    demo_load()

    assert AgendaItem.objects.values_list("title_fr", "title_es").get(label="j") == (
        "Préoccupations et difficultés soulevées à la douzième Assemblée des États parties",
        "Preocupaciones y desafíos planteados en la 12ª Reunión de los Estados Partes",
    )
    # The secretariat rewrote the English: the demo's French of the old title is not added.
    assert AgendaItem.objects.values_list("title_en", "title_fr").get(label="c") == (
        "Clearance",
        None,
    )
    assert Delegation.objects.values_list("name_ru", flat=True).get(code="FRA") == "Франция"
    assert Delegation.objects.values_list("name_fr", flat=True).get(code="CHL") == (
        "Chili (corrigé)"
    )
