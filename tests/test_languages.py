"""Issue 14: the six languages — the menu on every page, each language named in itself, the
browser's language as the first guess, the choice kept for the person, Arabic right to left."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from delegations.models import LanguageChoice
from tests.factories import MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db

NAMES = ["العربية", "中文", "English", "Français", "Русский", "Español"]


def lang(html: str) -> tuple[str, str]:
    found = re.search(r'<html lang="([^"]+)" dir="([^"]+)">', html)
    return found[1], found[2]


def test_six_languages_each_named_in_itself_in_the_menu(client):
    MeetingFactory()
    html = client.get("/").content.decode()
    assert [code for code, _ in settings.LANGUAGES] == ["ar", "zh-hans", "en", "fr", "ru", "es"]
    menu = html.split('class="language-menu')[1].split("</form>")[0]
    for name in NAMES:
        assert f">{name}</option>" in menu, name
    assert 'name="csrfmiddlewaretoken"' in menu


def test_the_browsers_language_is_the_first_guess(client):
    MeetingFactory()
    assert lang(client.get("/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9").content.decode()) == (
        "es",
        "ltr",
    )
    assert lang(client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode())[0] == "en"


def test_arabic_reads_right_to_left_with_bootstraps_rtl_sheet(client):
    MeetingFactory()
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert lang(html) == ("ar", "rtl")
    assert "bootstrap.rtl.min.css" in html
    assert "bootstrap.min.css" not in html.replace("bootstrap.rtl.min.css", "")


def test_the_choice_is_kept_in_a_cookie_and_for_the_person(client):
    MeetingFactory()
    user = UserFactory(username="focal-x")
    client.force_login(user)
    answer = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert answer.status_code == 302
    assert answer.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert LanguageChoice.objects.get(user=user).language == "fr"

    # Elsewhere, another browser (no cookie): signing in brings the person's language back.
    other = type(client)()
    other.post(reverse("login"), {"username": "focal-x", "password": "correct horse battery"})
    assert lang(other.get("/").content.decode())[0] == "fr"


def test_an_unknown_language_changes_nothing(client):
    user = UserFactory(username="focal-y")
    client.force_login(user)
    answer = client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert answer.status_code == 302
    assert not LanguageChoice.objects.filter(user=user).exists()
    assert settings.LANGUAGE_COOKIE_NAME not in answer.cookies
