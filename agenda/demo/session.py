"""A delivered session of the demo: who took the floor on 2(c) and 2(j), the coordinators'
notes (some published), Lausanne Action Plan tags, the four topics of the concept note under
2(j) and two proposals for ways forward.

Create-missing-only, like the rest of the demo: an item whose list already has delivered
entries (an earlier load, or a real session) is left as it is; topics are added to an item
that has none.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from agenda.demo.languages import fill_translations, with_translations
from agenda.models import (
    AgendaItem,
    FloorRequest,
    LapAction,
    LapTag,
    Proposal,
    ProposalSupport,
    ProposalTopic,
    RecordNote,
)
from delegations.models import Participation
from meetings.models import Meeting

# The four topics under (j) (the concept note).
TOPICS_J = [
    "Emerging challenges to the norm prohibiting cluster munitions",
    "Capacity constraints for victim assistance",
    "Budget cuts and international cooperation and assistance",
    "Increased significance of risk education",
]

# The same topics in the other five languages.
TOPICS_J_IN = {
    TOPICS_J[0]: {
        "fr": "Nouveaux défis pour la norme interdisant les armes à sous-munitions",
        "es": "Nuevos desafíos para la norma que prohíbe las municiones en racimo",
        "ru": "Новые вызовы для нормы, запрещающей кассетные боеприпасы",
        "ar": "التحديات الناشئة أمام القاعدة التي تحظر الذخائر العنقودية",
        "zh-hans": "禁止集束弹药准则面临的新挑战",
    },
    TOPICS_J[1]: {
        "fr": "Capacités limitées en matière d'assistance aux victimes",
        "es": "Limitaciones de capacidad en la asistencia a las víctimas",
        "ru": "Ограниченность возможностей в области помощи жертвам",
        "ar": "القيود المفروضة على القدرات في مجال مساعدة الضحايا",
        "zh-hans": "受害者援助方面的能力限制",
    },
    TOPICS_J[2]: {
        "fr": "Coupes budgétaires et coopération et assistance internationales",
        "es": "Recortes presupuestarios y cooperación y asistencia internacionales",
        "ru": "Бюджетные сокращения и международное сотрудничество и помощь",
        "ar": "تخفيضات الميزانية والتعاون والمساعدة على الصعيد الدولي",
        "zh-hans": "预算削减与国际合作和援助",
    },
    TOPICS_J[3]: {
        "fr": "Importance accrue de l'éducation à la réduction des risques",
        "es": "Mayor importancia de la educación sobre la reducción del riesgo",
        "ru": "Возросшее значение просвещения по вопросам снижения риска",
        "ar": "تزايد أهمية التوعية بالحد من المخاطر",
        "zh-hans": "降低风险教育的重要性日益增加",
    },
}

# (delegation, kind, speaker, language, minutes spoken, LAP actions, notes: (kind, text, published))
SESSION_C = [
    ("NOR", "coordinator_remarks", "", "en", 4, [], []),
    ("CHL", "extension_request", "Diego Fuentes", "es", 6, [21, 22], [
        ("figure", "Chile: 2.1 km² released in 2024", True),
        ("commitment", "Chile expects to complete clearance by 2026", True),
    ]),
    ("LBN", "extension_request", "", "ar", 5, [21], [
        ("key_point", "Lebanon: survey of newly contaminated areas under way", True),
    ]),
    ("FRA", "statement", "Julien Moreau", "fr", 3, [26], [
        ("key_point", "France offered technical support to affected States", False),
    ]),
]  # fmt: skip
SESSION_J = [
    ("ICRC", "invited_presentation", "Marc Dubois", "en", 8, [], [
        ("key_point", "The ICRC recalled the humanitarian impact of recent uses", True),
    ]),
    ("CMC", "invited_presentation", "Amina Haddad", "en", 7, [33], [
        ("key_point", "CMC: victim assistance services are losing funding", True),
    ]),
    ("AUT", "statement", "Katrin Steiner", "en", 4, [], [
        ("key_point", "Austria proposed a reporting template on the effect of budget cuts", True),
    ]),
    ("CHL", "statement", "Diego Fuentes", "es", 3, [33], []),
    ("FRA", "statement", "Claire Martin", "fr", 3, [], []),
]  # fmt: skip
# (text, topic index, raised by, supported by, status)
PROPOSALS_J = [
    (
        "Develop a voluntary reporting template on the effect of budget cuts on clearance, "
        "stockpile destruction and victim assistance, for the 13MSP",
        2,
        ["AUT"],
        ["CHL"],
        Proposal.Status.DISCUSSED,
    ),
    (
        "Hold an informal briefing on emerging challenges to the norm before the 13MSP",
        0,
        ["FRA"],
        ["AUT", "CHL"],
        Proposal.Status.RETAINED,
    ),
]

START_C = (2025, 4, 7, 15, 0)
START_J = (2025, 4, 8, 15, 0)


def write(meeting: Meeting, subitems: dict[str, AgendaItem | None]) -> None:
    item_c, item_j = subitems.get("c"), subitems.get("j")
    if item_j is not None and not ProposalTopic.objects.filter(item=item_j).exists():
        for order, title in enumerate(TOPICS_J, start=1):
            values = {"item": item_j, "title": title, "order": order}
            ProposalTopic.objects.create(
                **with_translations(ProposalTopic, values, {"title": TOPICS_J_IN[title]})
            )
    elif item_j is not None:
        for topic in ProposalTopic.objects.filter(item=item_j, title_en__in=TOPICS_J):
            fill_translations(
                topic, {"title": topic.title_en}, {"title": TOPICS_J_IN[topic.title_en]}
            )
    if item_c is not None:
        _session(meeting, item_c, SESSION_C, START_C)
    if item_j is not None:
        entries = _session(meeting, item_j, SESSION_J, START_J)
        if entries:
            _proposals(item_j, entries)


def _session(meeting, item, rows, start) -> dict[str, FloorRequest]:
    if FloorRequest.objects.filter(item=item, status="spoken").exists():
        return {}
    categories = dict(
        Participation.objects.filter(meeting=meeting).values_list("delegation__code", "category")
    )
    delegations = dict(
        Participation.objects.filter(meeting=meeting).values_list(
            "delegation__code", "delegation_id"
        )
    )
    actions = {action.number: action for action in LapAction.objects.all()}
    began = datetime(*start, tzinfo=ZoneInfo(meeting.time_zone))
    made = {}
    for code, kind, speaker, language, minutes, numbers, notes in rows:
        if code not in delegations:
            continue
        ended = began + timedelta(minutes=minutes)
        entry = FloorRequest.objects.create(
            item=item,
            delegation_id=delegations[code],
            category=categories[code],
            kind=kind,
            status="spoken",
            speaker_name=speaker,
            language=language,
            requested_at=began - timedelta(minutes=30),
            started_at=began,
            ended_at=ended,
        )
        made[code] = entry
        for number in numbers:
            if number in actions:
                LapTag.objects.create(entry=entry, action=actions[number], tagged_at=ended)
        for note_kind, text, published in notes:
            RecordNote.objects.create(
                entry=entry,
                kind=note_kind,
                text=text,
                created_at=ended,
                updated_at=ended,
                published_at=ended + timedelta(hours=2) if published else None,
            )
        began = ended + timedelta(seconds=30)
    return made


def _proposals(item, entries: dict[str, FloorRequest]) -> None:
    topics = list(ProposalTopic.objects.filter(item=item).order_by("order", "id"))
    for text, topic, raised, supported, status in PROPOSALS_J:
        if not all(code in entries for code in raised):
            continue
        proposal = Proposal.objects.create(
            item=item,
            topic=topics[topic] if topic < len(topics) else None,
            text=text,
            status=status,
            created_at=timezone.now(),
        )
        for role, codes in ((ProposalSupport.Role.RAISED, raised),
                            (ProposalSupport.Role.SUPPORTED, supported)):  # fmt: skip
            for code in codes:
                if code in entries:
                    ProposalSupport.objects.create(
                        proposal=proposal,
                        delegation_id=entries[code].delegation_id,
                        entry=entries[code],
                        role=role,
                    )
