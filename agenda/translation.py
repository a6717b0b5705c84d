"""The agenda's content in the six languages (django-modeltranslation): titles, annotations and
formats of the items, the topics of the proposals, and the Lausanne Action Plan's areas and
actions."""

from modeltranslation.translator import TranslationOptions, register

from .models import AgendaItem, LapAction, LapArea, ProposalTopic


@register(AgendaItem)
class AgendaItemTranslation(TranslationOptions):
    fields = ("title", "annotation", "format")


@register(ProposalTopic)
class ProposalTopicTranslation(TranslationOptions):
    """The topics under which proposals are gathered (the secretariat's, as the agenda)."""

    fields = ("title",)


@register(LapArea)
class LapAreaTranslation(TranslationOptions):
    fields = ("title",)


@register(LapAction)
class LapActionTranslation(TranslationOptions):
    fields = ("title",)
