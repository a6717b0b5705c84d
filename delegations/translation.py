"""The names of States, organisations and groups in the six languages (django-modeltranslation).
The States' names come from ISO 3166 as translated by the iso-codes project
(`delegations.state_names`); the secretariat corrects any of them in the admin."""

from modeltranslation.translator import TranslationOptions, register

from .models import Delegation, Group


@register(Delegation)
class DelegationTranslation(TranslationOptions):
    fields = ("name",)


@register(Group)
class GroupTranslation(TranslationOptions):
    fields = ("name",)
