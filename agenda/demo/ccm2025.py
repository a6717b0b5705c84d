"""The Convention on Cluster Munitions Intersessional Meeting 2025, as demo data.

Sources: the concept note of the 13MSP Presidency (concept-note-2025.txt, beside this module) and
the States list of April 2025 (delegations/data/states-2025-04.csv). Where the note is silent the
data says so in a comment; the secretariat can correct everything in the admin.

Plain values only: `load.py` writes them to the database.
"""

import datetime

from django.utils.translation import gettext_noop

MEETING_SLUG = "ccm-intersessional-2025"

MEETING = {
    "title": "Convention on Cluster Munitions Intersessional Meeting 2025",
    "short_title": "CCM Intersessional 2025",
    "convention": "Convention on Cluster Munitions",
    "body": "Intersessional Meeting",
    "presidency": "Philippines, Presidency of the 13th Meeting of States Parties",
    "president": "Ambassador Carlos D. Sorreta",
    "start_date": datetime.date(2025, 4, 7),
    "end_date": datetime.date(2025, 4, 8),
    "venue": "Palais des Nations",
    "room": "Room XXI",
    "city": "Geneva",
    "time_zone": "Europe/Zurich",
    "status": "published",
    "description": (
        "Convened by the Presidency of the 13th Meeting of States Parties, following the decision "
        "of the 12th Meeting of States Parties to hold an intersessional meeting on progress in "
        "implementing the Convention.\n\n"
        "The meeting focuses on the status of mandate implementation, priority areas of work and "
        "the ongoing efforts of the Coordination Committee, and gives States Parties and the "
        "broader CCM community a platform to share updates on the Convention's implementation. "
        "It begins a preliminary evaluation of progress and challenges in implementing the "
        "Lausanne Action Plan, ahead of a more comprehensive review.\n\n"
        "It is also a forum to address the evolving landscape of humanitarian disarmament, in "
        "light of recent developments that have tested the resilience of international "
        "humanitarian law and the norms underpinning the Convention."
    ),
}

# Morning and afternoon of both days; times are local (Europe/Zurich).
SITTINGS = {
    "mon-am": {
        "date": datetime.date(2025, 4, 7),
        "start_time": datetime.time(10, 0),
        "end_time": datetime.time(13, 0),
        "title": "First sitting (morning)",
    },
    "mon-pm": {
        "date": datetime.date(2025, 4, 7),
        "start_time": datetime.time(15, 0),
        "end_time": datetime.time(18, 0),
        "title": "Second sitting (afternoon)",
    },
    "tue-am": {
        "date": datetime.date(2025, 4, 8),
        "start_time": datetime.time(10, 0),
        "end_time": datetime.time(13, 0),
        "title": "Third sitting (morning)",
    },
    "tue-pm": {
        "date": datetime.date(2025, 4, 8),
        "start_time": datetime.time(15, 0),
        "end_time": datetime.time(18, 0),
        "title": "Fourth sitting (afternoon)",
    },
}

# The documents the concept note cites. `url` is the page where each is published.
DOCUMENTS = [
    {
        "symbol": "CCM/MSP/2024/11",
        "title": "Final report of the Twelfth Meeting of States Parties",
        "kind": "report",
        "url": "https://www.clusterconvention.org/12msp/",
    },
    {
        "symbol": "CCM/CONF/2021/6",
        "title": "Final report of the Second Review Conference",
        "kind": "report",
        "url": "https://www.clusterconvention.org/second-review-conference/",
    },
    {
        "symbol": "CCM/MSP/2024/WP.3",
        # The official title was not found: this one describes what the concept note says the
        # paper contains, and says that it is descriptive.
        "title": (
            "Working paper on concerns and challenges raised at the Twelfth Meeting of States "
            "Parties (descriptive title)"
        ),
        "kind": "working_paper",
        "url": "https://www.clusterconvention.org/12msp/",
    },
]

# (a)–(i): the format the concept note sets for the thematic subitems.
THEMATIC_FORMAT = (
    "Introductory remarks by the coordinators, then the floor is opened to States Parties and "
    "other stakeholders to give updates on their work."
)
THEMATIC_ANNOTATION = (
    "Presentations and updates on progress in implementing the Lausanne Action Plan and on the "
    "actions taken by the coordinators under their work plans 2024–2025. The updates feed the "
    "Lausanne Action Plan progress report to the 13th Meeting of States Parties."
)
LAP_PROGRESS_MANDATE = ("CCM/CONF/2021/6", "84 (iii) (b)")

ITEM = {
    "label": "2",
    "order": 2,
    "title": "General status and operation of the Convention",
    "annotation": (
        "The status of mandate implementation, priority areas of work and the ongoing work of "
        "the Coordination Committee; updates from States Parties and the broader CCM community "
        "on the Convention's implementation, and a preliminary evaluation of progress and "
        "challenges in implementing the Lausanne Action Plan."
    ),
    "format": (
        "Informal discussions. Subitems (a) to (i) first, then subitem (j) on the concerns and "
        "challenges raised at the 12th Meeting of States Parties."
    ),
    "coordinators": [],
    "mandate": [("CCM/MSP/2024/11", "87")],
    "sittings": ["mon-am", "mon-pm", "tue-am", "tue-pm"],
}

# Titles per the reconstruction in the project's notes on CCM practice: the concept note names
# (c), (h) and (j); the official titles of the others were not found. Coordinators are given
# where known (2024 work plans, concept note); the others were not found and are left empty.
# Subitems are listed in their order on the agenda.


def _subitem(
    label: str,
    title: str,
    *,
    sittings: list[str],
    coordinators: tuple[str, ...] = (),
    annotation: str = THEMATIC_ANNOTATION,
    format: str = THEMATIC_FORMAT,
    mandate: tuple[tuple[str, str], ...] = (LAP_PROGRESS_MANDATE,),
) -> dict:
    return {
        "label": label,
        "title": title,
        "annotation": annotation,
        "format": format,
        "coordinators": list(coordinators),
        "mandate": list(mandate),
        "sittings": sittings,
    }


SUBITEMS = [
    _subitem("a", "Universalization", coordinators=("MWI", "PER"), sittings=["mon-am"]),
    _subitem("b", "Victim assistance", coordinators=("AUT", "PAN"), sittings=["mon-am"]),
    _subitem(
        "c",
        "Clearance and destruction of cluster munition remnants, including Article 4 extension "
        "requests",
        annotation=THEMATIC_ANNOTATION
        + " States Parties present their requests to extend their Article 4 clearance deadlines "
        "informally.",
        format=(
            "Introductory remarks by the coordinators. The floor is first given to the States "
            "Parties presenting informal presentations of their extension requests under "
            "Article 4, then opened to States Parties and other stakeholders to give updates on "
            "their work."
        ),
        coordinators=("ITA", "NOR"),
        sittings=["mon-pm"],
    ),
    # A new coordinator on risk education was decided at the 12MSP; who was not found.
    _subitem("d", "Risk education", sittings=["mon-pm"]),
    _subitem("e", "Stockpile destruction and retention", sittings=["tue-am"]),
    _subitem("f", "International cooperation and assistance", sittings=["tue-am"]),
    _subitem("g", "Transparency measures", sittings=["tue-am"]),
    _subitem(
        "h",
        "Gender and the diverse needs of populations",
        annotation=THEMATIC_ANNOTATION
        + " The coordinators on general status and operation support the Presidency in "
        "ensuring that gender and the diverse needs and experiences of people in affected "
        "communities are considered in implementing the Lausanne Action Plan.",
        mandate=(LAP_PROGRESS_MANDATE, ("CCM/CONF/2021/6", "84 (iii) (c)")),
        sittings=["tue-pm"],
    ),
    _subitem("i", "National implementation measures", sittings=["tue-pm"]),
    _subitem(
        "j",
        "Concerns and challenges raised at the 12th Meeting of States Parties",
        annotation=(
            "Follow-up, with the support of the coordinators on general status and operation of "
            "the Convention, of the concerns and challenges raised at the 12th Meeting of States "
            "Parties, among others those contained in CCM/MSP/2024/WP.3, as mandated by the "
            "12th Meeting of States Parties. Topics include, but are not limited to:\n"
            "– emerging challenges to the norm prohibiting cluster munitions;\n"
            "– capacity constraints for victim assistance, considering the significant increase "
            "in victims of war;\n"
            "– significant budget cuts affecting the implementation of operative actions under "
            "the Convention, including victim assistance, stockpile destruction and clearance, "
            "under international cooperation and assistance;\n"
            "– the increased significance of risk education, considering the reduced level of "
            "clearance activities."
        ),
        format=(
            "One or two presentations by invited stakeholders on the impact and potential "
            "consequences of the challenges identified, then statements from the floor by States "
            "Parties, signatory States and other stakeholders, in a discussion facilitated by the "
            "coordinators."
        ),
        coordinators=("AUT", "DEU"),
        mandate=(
            ("CCM/CONF/2021/6", "133, annex III, IX, D, 2"),
            ("CCM/MSP/2024/11", "78"),
            ("CCM/MSP/2024/11", "79"),
            ("CCM/MSP/2024/11", "80"),
            # Cited by the note as containing the concerns; no paragraph.
            ("CCM/MSP/2024/WP.3", ""),
        ),
        sittings=["tue-pm"],
    ),
]

# The States come from this file, through the delegations import.
STATES_FILE = "states-2025-04.csv"

# A category the demo adds to the shipped ones, so that the order of speakers follows rule 1.2
# of the rules of procedure (the UN and international organisations, the ICRC and the IFRC,
# the GICHD, the CMC, other NGOs): the GICHD's own, ranked between the Red Cross and the CMC.
GICHD_CATEGORY = {
    "code": "gichd",
    "name": "GICHD",
    # In the catalogue, as the shipped categories' names are (`delegations.categories`).
    "plural_name": gettext_noop("Geneva International Centre for Humanitarian Demining"),
    "state": False,
}
GICHD_RANKED_BETWEEN = ("red_cross", "cmc")

# Organisations that usually attend (rules of procedure, rules 1.2 and 1.3).
ORGANIZATIONS = [
    ("UNODA", "United Nations Office for Disarmament Affairs", "international_organization"),
    ("UNMAS", "United Nations Mine Action Service", "international_organization"),
    ("UNDP", "United Nations Development Programme", "international_organization"),
    ("GICHD", "Geneva International Centre for Humanitarian Demining", "gichd"),
    ("ICRC", "International Committee of the Red Cross", "red_cross"),
    ("IFRC", "International Federation of Red Cross and Red Crescent Societies", "red_cross"),
    ("CMC", "Cluster Munition Coalition", "cmc"),
    ("HRW", "Human Rights Watch", "ngo"),
    ("HI", "Humanity & Inclusion", "ngo"),
    ("NPA", "Norwegian People's Aid", "ngo"),
    ("MAG", "Mines Advisory Group", "ngo"),
    # Attends as an observer organisation; its statements are on behalf of the group "EU".
    ("EU", "European Union", "international_organization"),
]

# States the demo adds to the States list (which holds the States Parties and signatories):
# Poland, an EU member that is not a party to the Convention, attends as an observer State and
# speaks on behalf of the European Union in the demo.
OTHER_STATES = [
    ("POL", "Poland", "observer_state"),
]

# Groups of the meeting: members are among the delegations of the demo. The European Union:
# its member States on the States list (Cyprus, a signatory State, included) and Poland; its
# own delegation is the EU's. GRULAC: the Latin American and Caribbean States on the list.
# A group's name reads after "on behalf of" ("Poland, on behalf of the European Union").
GROUPS = [
    {
        "code": "EU",
        "name": "the European Union",
        "delegation": "EU",
        "takes_precedence": True,
        "members": [
            "AUT", "BEL", "BGR", "CYP", "CZE", "DEU", "DNK", "ESP", "FRA", "HRV", "HUN", "IRL",
            "ITA", "LUX", "MLT", "NLD", "POL", "PRT", "SVK", "SVN", "SWE",
        ],
    },
    {
        "code": "GRULAC",
        "name": "the Group of Latin American and Caribbean States",
        "delegation": None,
        "takes_precedence": True,
        "members": [
            "ATG", "BLZ", "BOL", "CHL", "COL", "CRI", "CUB", "DOM", "ECU", "GRD", "GTM", "GUY",
            "HND", "HTI", "JAM", "KNA", "LCA", "MEX", "NIC", "PAN", "PER", "PRY", "SLV", "TTO",
            "URY", "VCT",
        ],
    },
]  # fmt: skip

# Speakers without a delegation: the President of the 13MSP (named in the concept note), and
# two fictitious people: the Director of the Implementation Support Unit and a panellist under
# 2(j).
GUESTS = [
    {
        "name": "Ambassador Carlos D. Sorreta",
        "title": "President of the Thirteenth Meeting of States Parties",
        "organisation": "",
    },
    {
        "name": "Maria Keller",
        "title": "Director",
        "organisation": "CCM Implementation Support Unit",
    },
    {
        "name": "Dr Ana Reyes",
        "title": "Panellist",
        "organisation": "Survivor network",
    },
]

# Designated presenters: under 2(c) the States Parties whose Article 4 extension requests went
# to the 13MSP (analyses CCM/MSP/2025/3-7); under 2(j) two invited stakeholder presentations.
# (subitem label, delegation code, kind)
PRESENTERS = [
    ("c", "AFG", "extension_request"),
    ("c", "CHL", "extension_request"),
    ("c", "LBN", "extension_request"),
    ("c", "MRT", "extension_request"),
    ("c", "SOM", "extension_request"),
    ("j", "ICRC", "invited_presentation"),
    ("j", "CMC", "invited_presentation"),
]

# The secretariat group gets every permission of these apps.
SECRETARIAT_APPS = ["meetings", "delegations", "agenda", "auth"]

# Demo accounts. Roles: secretariat (staff, in the Secretariat group), president (presiding
# officer of the meeting), coordinator (focal point of Austria and Germany, chairs item 2(j)),
# focal points of one delegation each (Poland's may speak on behalf of the European Union).
ACCOUNTS = [
    {"username": "secretariat", "first_name": "Meeting", "last_name": "Secretariat"},
    {"username": "president", "first_name": "Meeting", "last_name": "President"},
    {"username": "coordinator", "first_name": "Item 2(j)", "last_name": "Coordinator"},
    {"username": "focal-aut", "first_name": "Austria", "last_name": "Focal point"},
    {"username": "focal-chl", "first_name": "Chile", "last_name": "Focal point"},
    {"username": "focal-fra", "first_name": "France", "last_name": "Focal point"},
    {"username": "focal-icrc", "first_name": "ICRC", "last_name": "Focal point"},
    {"username": "focal-cmc", "first_name": "CMC", "last_name": "Focal point"},
    {"username": "focal-eu", "first_name": "European Union", "last_name": "Focal point"},
    {"username": "focal-pol", "first_name": "Poland", "last_name": "Focal point"},
    {"username": "interpreter", "first_name": "Booths", "last_name": "Interpreter"},
]
EMAIL_DOMAIN = "example.org"
STAFF_ACCOUNTS = ["secretariat"]
INTERPRETER_ACCOUNTS = ["interpreter"]
PRESIDING_ACCOUNTS = ["president"]
# (username, delegation code)
FOCAL_POINTS = [
    ("coordinator", "AUT"),
    ("coordinator", "DEU"),
    ("focal-aut", "AUT"),
    ("focal-chl", "CHL"),
    ("focal-fra", "FRA"),
    ("focal-icrc", "ICRC"),
    ("focal-cmc", "CMC"),
    ("focal-eu", "EU"),
    ("focal-pol", "POL"),
]
# (username, subitem label of item 2)
FACILITATORS = [("coordinator", "j")]

# A few delegates. The people are fictitious; gender is self-declared and blank when not stated.
DELEGATES = {
    "AUT": [
        {"name": "Katrin Steiner", "title": "Ambassador", "role": "head", "gender": "woman"},
        {"name": "Lukas Berger", "title": "Counsellor", "role": "member", "gender": ""},
    ],
    "DEU": [
        {"name": "Anna Krüger", "title": "Ambassador", "role": "head", "gender": "woman"},
    ],
    "CHL": [
        {"name": "Camila Rojas", "title": "Minister Counsellor", "role": "head", "gender": ""},
        {"name": "Diego Fuentes", "title": "First Secretary", "role": "adviser", "gender": "man"},
    ],
    "FRA": [
        {"name": "Claire Martin", "title": "Ambassador", "role": "head", "gender": ""},
        {"name": "Julien Moreau", "title": "Counsellor", "role": "deputy", "gender": "man"},
    ],
    "ICRC": [
        {"name": "Marc Dubois", "title": "Legal Adviser", "role": "head", "gender": "man"},
    ],
    "CMC": [
        {"name": "Amina Haddad", "title": "Director", "role": "head", "gender": "woman"},
        {"name": "Sam Okello", "title": "Campaigner", "role": "member", "gender": "other"},
    ],
}
