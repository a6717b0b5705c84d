"""The agenda's content in the six languages (django-modeltranslation): titles, annotations and
formats of the items, and the Lausanne Action Plan's areas and actions."""

from modeltranslation.translator import TranslationOptions, register

from .models import AgendaItem, LapAction, LapArea


@register(AgendaItem)
class AgendaItemTranslation(TranslationOptions):
    fields = ("title", "annotation", "format")


@register(LapArea)
class LapAreaTranslation(TranslationOptions):
    fields = ("title",)


@register(LapAction)
class LapActionTranslation(TranslationOptions):
    fields = ("title",)
