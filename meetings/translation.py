"""The meeting's content in the six languages (django-modeltranslation): each field listed here
gets one column per language (`title_fr`, `title_zh_hans` …); reading `title` gives the active
language's text, or the English one where it is not translated yet (see `meetings.languages`)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Document, Meeting, Sitting


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = (
        "title",
        "short_title",
        "convention",
        "body",
        "presidency",
        "president",
        "venue",
        "room",
        "city",
        "description",
    )


@register(Sitting)
class SittingTranslation(TranslationOptions):
    fields = ("title",)


@register(Document)
class DocumentTranslation(TranslationOptions):
    fields = ("title",)
