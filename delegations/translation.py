"""The names of States, organisations and groups in the six languages (django-modeltranslation).
The States' names come from ISO 3166 as translated by the iso-codes project
(`delegations.state_names`); the secretariat corrects any of them in the admin."""

from modeltranslation.translator import TranslationOptions, register

from .models import Delegation, Group, Guest


@register(Delegation)
class DelegationTranslation(TranslationOptions):
    fields = ("name",)


@register(Guest)
class GuestTranslation(TranslationOptions):
    """A speaker without a delegation: the name is theirs; the title and the organisation are
    said in each language ("Director", "Directeur")."""

    fields = ("title", "organisation")


@register(Group)
class GroupTranslation(TranslationOptions):
    fields = ("name",)
