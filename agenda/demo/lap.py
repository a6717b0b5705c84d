"""The Lausanne Action Plan (2021–2026) as demo data: the coordinators' areas with their verified
action ranges. Titles of single actions are left empty ("Action 31"): the secretariat adds them
in the admin from the plan itself.

`write()` creates what is missing (an area by its slug, with its actions by number) and leaves
what exists as the secretariat has it; `load.py` calls it. The areas' titles are written in the
six languages (`translations.LAP_AREAS`).
"""

from agenda.models import LapAction, LapArea

from .languages import fill_translations, with_translations
from .translations import LAP_AREAS

# (slug, title, first action, last action)
AREAS = [
    ("universalization", "Universalization", 10, 11),
    ("stockpile-destruction", "Stockpile destruction and retention", 12, 17),
    ("clearance-risk-education", "Clearance and risk education", 18, 30),
    ("victim-assistance", "Victim assistance", 31, 37),
]


def write() -> list[LapArea]:
    areas = []
    for order, (slug, title, first, last) in enumerate(AREAS, start=1):
        translated = {"title": LAP_AREAS[slug]}
        area, created = LapArea.objects.get_or_create(
            slug=slug,
            defaults=with_translations(
                LapArea,
                {"title": title, "order": order, "first_action": first, "last_action": last},
                translated,
            ),
        )
        fill_translations(area, {"title": title}, translated)
        if created:
            for number in range(first, last + 1):
                LapAction.objects.get_or_create(number=number, defaults={"area": area})
        areas.append(area)
    return areas
