"""The names of the demo's organisations, groups and speakers without a delegation, and of the
GICHD's category, in the five languages besides English (English in `ccm2025.py`), by code
(the guests by name). The guests' and the category's are written once their models translate
those fields (`languages.translated_fields`). The States' names come from ISO 3166
(`delegations.state_names`).

The organisations' own names in each language where they publish one (the ICRC, the IFRC,
the CMC, the GICHD, the UN bodies, the European Union); an NGO known by its English name in UN
lists of participants keeps it where no other form is established (Human Rights Watch in
French and Spanish, Humanity & Inclusion, Mines Advisory Group).

A group's name reads after "on behalf of" and as a subject ("the European Union has the
floor"), so it carries its article where the language has one (see the note in `ccm2025.py`).
"""

ORGANIZATIONS = {
    "UNODA": {
        "fr": "Bureau des affaires de désarmement de l'Organisation des Nations Unies",
        "es": "Oficina de Asuntos de Desarme de las Naciones Unidas",
        "ru": "Управление Организации Объединенных Наций по вопросам разоружения",
        "ar": "مكتب الأمم المتحدة لشؤون نزع السلاح",
        "zh-hans": "联合国裁军事务厅",
    },
    "UNMAS": {
        "fr": "Service de la lutte antimines de l'Organisation des Nations Unies",
        "es": "Servicio de las Naciones Unidas de Actividades relativas a las Minas",
        "ru": (
            "Служба Организации Объединенных Наций по вопросам деятельности, связанной с "
            "разминированием"
        ),
        "ar": "دائرة الأمم المتحدة للإجراءات المتعلقة بالألغام",
        "zh-hans": "联合国地雷行动处",
    },
    "UNDP": {
        "fr": "Programme des Nations Unies pour le développement",
        "es": "Programa de las Naciones Unidas para el Desarrollo",
        "ru": "Программа развития Организации Объединенных Наций",
        "ar": "برنامج الأمم المتحدة الإنمائي",
        "zh-hans": "联合国开发计划署",
    },
    "GICHD": {
        "fr": "Centre international de déminage humanitaire de Genève",
        "es": "Centro Internacional de Desminado Humanitario de Ginebra",
        "ru": "Женевский международный центр по гуманитарному разминированию",
        "ar": "مركز جنيف الدولي لإزالة الألغام للأغراض الإنسانية",
        "zh-hans": "日内瓦国际人道主义排雷中心",
    },
    "ICRC": {
        "fr": "Comité international de la Croix-Rouge",
        "es": "Comité Internacional de la Cruz Roja",
        "ru": "Международный комитет Красного Креста",
        "ar": "اللجنة الدولية للصليب الأحمر",
        "zh-hans": "红十字国际委员会",
    },
    "IFRC": {
        "fr": "Fédération internationale des Sociétés de la Croix-Rouge et du Croissant-Rouge",
        "es": "Federación Internacional de Sociedades de la Cruz Roja y de la Media Luna Roja",
        "ru": "Международная федерация обществ Красного Креста и Красного Полумесяца",
        "ar": "الاتحاد الدولي لجمعيات الصليب الأحمر والهلال الأحمر",
        "zh-hans": "红十字会与红新月会国际联合会",
    },
    "CMC": {
        "fr": "Coalition contre les sous-munitions",
        "es": "Coalición contra las Municiones en Racimo",
        "ru": "Коалиция против кассетных боеприпасов",
        "ar": "التحالف المعني بالذخائر العنقودية",
        "zh-hans": "集束弹药联盟",
    },
    "HRW": {
        "fr": "Human Rights Watch",
        "es": "Human Rights Watch",
        "ru": "Хьюман Райтс Вотч",
        "ar": "هيومن رايتس ووتش",
        "zh-hans": "人权观察",
    },
    "HI": {
        "fr": "Humanité & Inclusion",
        "es": "Humanity & Inclusion",
        "ru": "Humanity & Inclusion",
        "ar": "Humanity & Inclusion",
        "zh-hans": "Humanity & Inclusion",
    },
    "NPA": {
        "fr": "Aide populaire norvégienne",
        "es": "Ayuda Popular Noruega",
        "ru": "Норвежская народная помощь",
        "ar": "المساعدات الشعبية النرويجية",
        "zh-hans": "挪威人民援助会",
    },
    "MAG": {
        "fr": "Mines Advisory Group",
        "es": "Mines Advisory Group",
        "ru": "Mines Advisory Group",
        "ar": "الفريق الاستشاري المعني بالألغام",
        "zh-hans": "地雷咨询组",
    },
    "EU": {
        "fr": "Union européenne",
        "es": "Unión Europea",
        "ru": "Европейский союз",
        "ar": "الاتحاد الأوروبي",
        "zh-hans": "欧洲联盟",
    },
}

GROUPS = {
    "EU": {
        "fr": "l'Union européenne",
        "es": "la Unión Europea",
        "ru": "Европейский союз",
        "ar": "الاتحاد الأوروبي",
        "zh-hans": "欧洲联盟",
    },
    "GRULAC": {
        "fr": "le Groupe des États d'Amérique latine et des Caraïbes",
        "es": "el Grupo de los Estados de América Latina y el Caribe",
        "ru": "Группа государств Латинской Америки и Карибского бассейна",
        "ar": "مجموعة دول أمريكا اللاتينية ومنطقة البحر الكاريبي",
        "zh-hans": "拉丁美洲和加勒比国家组",
    },
}

#: The GICHD's category of participant (`ccm2025.GICHD_CATEGORY`).
GICHD_CATEGORY = {
    "name": {
        "fr": "CIDHG",
        "es": "CIDHG",
        "ru": "ЖМЦГР",
        "ar": "مركز جنيف",
        "zh-hans": "日内瓦排雷中心",
    },
    "plural_name": ORGANIZATIONS["GICHD"],
}

#: The speakers without a delegation (`ccm2025.GUESTS`), by name: their title and organisation.
GUESTS = {
    "Ambassador Carlos D. Sorreta": {
        "title": {
            "fr": "Président de la treizième Assemblée des États parties",
            "es": "Presidente de la Decimotercera Reunión de los Estados Partes",
            "ru": "Председатель тринадцатого Совещания государств-участников",
            "ar": "رئيس الاجتماع الثالث عشر للدول الأطراف",
            "zh-hans": "缔约国第十三次会议主席",
        },
    },
    "Maria Keller": {
        "title": {
            "fr": "Directrice",
            "es": "Directora",
            "ru": "Директор",
            "ar": "المديرة",
            "zh-hans": "主任",
        },
        "organisation": {
            "fr": "Unité d'appui à l'application de la CASM",
            "es": "Dependencia de Apoyo a la Aplicación de la CMR",
            "ru": "Группа имплементационной поддержки ККБ",
            "ar": "وحدة دعم تنفيذ اتفاقية الذخائر العنقودية",
            "zh-hans": "《集束弹药公约》执行支助股",
        },
    },
    "Dr Ana Reyes": {
        "title": {
            "fr": "Intervenante",
            "es": "Panelista",
            "ru": "Участница дискуссии",
            "ar": "مشاركة في حلقة النقاش",
            "zh-hans": "小组讨论嘉宾",
        },
        "organisation": {
            "fr": "Réseau de survivants",
            "es": "Red de sobrevivientes",
            "ru": "Сеть выживших",
            "ar": "شبكة الناجين",
            "zh-hans": "幸存者网络",
        },
    },
}
