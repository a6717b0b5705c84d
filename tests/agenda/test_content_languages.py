"""The meeting's content in the six languages: titles and names read in the page's language,
English where a translation is missing (marked for the secretariat, not for the public), the
admin with a tab per language, the search by a name in any language."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from agenda.record.selectors import search
from agenda.speakers import services
from delegations.models import Guest, Participation
from meetings.languages import localized
from tests.factories import AgendaItemFactory
from tests.helpers import spoken

pytestmark = pytest.mark.django_db


def in_french(floor):
    floor.d["FRA"].name_fr = "France"
    floor.d["AUT"].name_fr = "Autriche"
    floor.d["AUT"].name_ar = "النمسا"
    for delegation in (floor.d["FRA"], floor.d["AUT"]):
        delegation.save()
    floor.item.title_fr = "Dépollution et éducation à la réduction des risques"
    floor.item.save()


def test_a_title_and_a_name_read_in_the_active_language_and_in_english_where_missing(floor):
    in_french(floor)
    austria = floor.d["AUT"]

    with translation.override("fr"):
        assert (austria.name, floor.item.title) == (
            "Autriche",
            "Dépollution et éducation à la réduction des risques",
        )
    with translation.override("ru"):
        assert (austria.name, floor.item.title) == ("Austria", "Clearance")
    with translation.override("ar"):
        assert austria.name == "النمسا"


def test_a_query_through_another_model_reads_the_name_in_the_active_language(floor):
    in_french(floor)
    rows = Participation.objects.filter(meeting=floor.meeting, delegation__code__in=["AUT", "CHL"])

    def shown():
        return sorted(
            rows.annotate(shown=localized("delegation__name")).values_list("shown", flat=True)
        )

    with translation.override("fr"):
        assert shown() == ["Autriche", "Chile"]
    with translation.override("en"):
        assert shown() == ["Austria", "Chile"]


def test_the_public_item_page_in_french_shows_the_french_title_and_names(client, floor):
    in_french(floor)
    spoken(floor.item, floor.d["AUT"], minute=0, seconds=60)
    client.cookies["django_language"] = "fr"

    html = client.get(
        reverse("record_item", args=[floor.meeting.slug, floor.item.pk])
    ).content.decode()

    assert "Dépollution et éducation à la réduction des risques" in html
    assert "Autriche" in html
    assert "Austria" not in html


def test_the_co_sponsors_offered_to_a_delegation_read_in_its_language(client, floor):
    in_french(floor)
    client.force_login(floor.user("CHL"))
    client.cookies["django_language"] = "fr"

    html = client.get(reverse("delegation_floor", args=[floor.meeting.slug, "CHL"])).content
    html = html.decode()

    assert re.search(r'<option value="AUT"[^>]*>\s*Autriche', html)
    assert not re.search(r'<option value="AUT"[^>]*>\s*Austria', html)


def test_the_record_finds_a_state_by_its_name_in_any_language(floor):
    in_french(floor)
    austria = spoken(floor.item, floor.d["AUT"], minute=0, seconds=60)

    with translation.override("en"):
        assert search(floor.meeting, "Autriche") == [austria.pk]
        assert search(floor.meeting, "النمسا") == [austria.pk]
    with translation.override("fr"):
        assert search(floor.meeting, "Austria") == [austria.pk]
        assert search(floor.meeting, "dépollution") == [austria.pk]


def test_the_admin_has_a_tab_per_language_and_serves_its_scripts_itself(client, floor):
    client.force_login(floor.secretariat)

    html = client.get(
        reverse("admin:delegations_delegation_change", args=[floor.d["AUT"].pk])
    ).content.decode()

    for column in ("name_ar", "name_zh_hans", "name_en", "name_fr", "name_ru", "name_es"):
        assert f'name="{column}"' in html
    assert "vendor/jquery-ui-1.14.1/jquery-ui.min.js" in html
    assert "tabbed_translation_fields.js" in html
    assert not re.search(r'<script[^>]+src="(https?:)?//', html)  # nothing from elsewhere


def test_the_secretariat_sees_where_a_name_falls_back_to_english(client, floor):
    in_french(floor)
    client.force_login(floor.secretariat)

    html = client.get(
        reverse("admin:delegations_delegation_changelist"), {"q": "AUT"}
    ).content.decode()

    assert "Falls back to English in" in html
    row = next(row for row in html.split("<tr") if ">AUT<" in row)
    assert "中文" in row and "Русский" in row and "Español" in row
    assert "Français" not in row and "العربية" not in row


def test_a_translation_entered_in_the_admin_reaches_the_public(client, floor):
    client.force_login(floor.secretariat)
    item = AgendaItemFactory(meeting=floor.meeting, label="3", title="Clearance and risk education")
    response = client.post(
        reverse("admin:agenda_agendaitem_change", args=[item.pk]),
        {
            **admin_form_of(client, item),
            "title_es": "Remoción y educación sobre la reducción del riesgo",
        },
    )
    assert response.status_code == 302, [
        (f.prefix, f.errors) for fs in response.context["inline_admin_formsets"] for f in fs.formset
    ] + [response.context["adminform"].form.errors]
    client.logout()
    client.cookies["django_language"] = "es"

    html = client.get(
        reverse("agenda_item_detail", args=[floor.meeting.slug, item.pk])
    ).content.decode()

    assert "Remoción y educación sobre la reducción del riesgo" in html


def admin_form_of(client, item) -> dict:
    """What the admin's change form of `item` posts as it stands (its inputs' values)."""
    response = client.get(reverse("admin:agenda_agendaitem_change", args=[item.pk]))
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, list | tuple) or hasattr(value, "all"):
            data[name] = [
                getattr(v, "pk", v) for v in (value.all() if hasattr(value, "all") else value)
            ]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = getattr(value, "pk", value)
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{management.prefix}-{name}"] = management.initial.get(name, 0)
        data[f"{management.prefix}-TOTAL_FORMS"] = data[f"{management.prefix}-INITIAL_FORMS"]
    return data


def test_a_speaker_the_chair_adds_from_a_french_console_reads_the_same_in_every_language(floor):
    with translation.override("fr"):
        guest = services.guest_of_meeting(
            floor.item, name="Maria Keller", title="Directrice", organisation="UAA"
        )

    for language in ("en", "fr", "ru"):
        with translation.override(language):
            assert Guest.objects.get(pk=guest.pk).description == "Directrice, UAA"
