import datetime

import factory
from django.contrib.auth import get_user_model

from agenda.models import AgendaItem
from delegations.models import (
    Category,
    Delegate,
    Delegation,
    FocalPoint,
    Group,
    Guest,
    Participation,
)
from meetings.models import Document, Meeting, Sitting


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    title = factory.Sequence(lambda n: f"Convention on Cluster Munitions Meeting {n}")
    short_title = factory.Sequence(lambda n: f"CCM {n}")
    slug = factory.Sequence(lambda n: f"ccm-{n}")
    start_date = datetime.date(2025, 4, 7)
    end_date = datetime.date(2025, 4, 8)
    venue = "Palais des Nations"
    room = "Room XXI"
    city = "Geneva"
    status = Meeting.Status.PUBLISHED


class SittingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sitting

    meeting = factory.SubFactory(MeetingFactory)
    date = factory.LazyAttribute(lambda s: s.meeting.start_date)
    start_time = datetime.time(10, 0)
    end_time = datetime.time(13, 0)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    symbol = factory.Sequence(lambda n: f"CCM/MSP/2024/WP.{n}")
    title = factory.Sequence(lambda n: f"Working paper {n}")


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: "".join(chr(65 + (n // 26**i) % 26) for i in (2, 1, 0)))
    name = factory.Sequence(lambda n: f"State {n}")
    kind = Delegation.Kind.STATE


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    meeting = factory.SubFactory(MeetingFactory)
    delegation = factory.SubFactory(DelegationFactory)
    category = Category.STATE_PARTY


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        skip_postgeneration_save = True

    meeting = factory.SubFactory(MeetingFactory)
    code = factory.Sequence(lambda n: f"G{n}")
    name = factory.Sequence(lambda n: f"Group {n}")

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.set(extracted)


class GuestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guest

    meeting = factory.SubFactory(MeetingFactory)
    name = factory.Sequence(lambda n: f"Guest {n}")


class DelegateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegate

    participation = factory.SubFactory(ParticipationFactory)
    name = factory.Sequence(lambda n: f"Delegate {n}")


class FocalPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocalPoint

    user = factory.SubFactory(UserFactory)
    delegation = factory.SubFactory(DelegationFactory)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    label = factory.Sequence(lambda n: str(n + 1))
    order = factory.Sequence(int)
    title = factory.Sequence(lambda n: f"Item {n}")
