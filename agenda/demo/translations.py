"""The demo meeting's content in the five languages besides English: the meeting, its sittings,
documents, agenda and the Lausanne Action Plan's areas. English is in `ccm2025.py` and
`lap.py`; each entry here is keyed like the English (a field, a sitting's key, a document's
symbol, an item's label, an area's slug), then by language.

Written for the demo from the English of the concept note, in the terms of the UN glossary of
the project (Assemblée des États parties, Reunión de los Estados Partes, Совещание
государств-участников, اجتماع الدول الأطراف, 缔约国会议 …). They are not the official texts of
the meeting: the secretariat replaces them in the admin with the texts of the documents as
issued. Item labels stay Latin letters in every language ("2(c)"), as on the screens.
"""

#: The acronym of the Convention in each language: CCM, CASM, CMR, ККБ (Arabic and Chinese
#: name it in full). `convention`, `president`, `room` and `city` are written only once the
#: model translates them (`languages.translated_fields`).
MEETING = {
    "convention": {
        "fr": "Convention sur les armes à sous-munitions",
        "es": "Convención sobre Municiones en Racimo",
        "ru": "Конвенция по кассетным боеприпасам",
        "ar": "اتفاقية الذخائر العنقودية",
        "zh-hans": "《集束弹药公约》",
    },
    "president": {
        "fr": "Ambassadeur Carlos D. Sorreta",
        "es": "Embajador Carlos D. Sorreta",
        "ru": "посол Карлос Д. Соррета",
        "ar": "السفير كارلوس د. سوريتا",
        "zh-hans": "卡洛斯·D·索雷塔大使",
    },
    "room": {
        "fr": "Salle XXI",
        "es": "Sala XXI",
        "ru": "Зал XXI",
        "ar": "القاعة XXI",
        "zh-hans": "第二十一号会议室",
    },
    "city": {
        "fr": "Genève",
        "es": "Ginebra",
        "ru": "Женева",
        "ar": "جنيف",
        "zh-hans": "日内瓦",
    },
    "title": {
        "fr": "Réunion intersessions 2025 de la Convention sur les armes à sous-munitions",
        "es": (
            "Reunión entre períodos de sesiones de 2025 de la Convención sobre Municiones en Racimo"
        ),
        "ru": "Межсессионное совещание 2025 года по Конвенции по кассетным боеприпасам",
        "ar": "الاجتماع المعقود بين الدورات لعام 2025 لاتفاقية الذخائر العنقودية",
        "zh-hans": "《集束弹药公约》2025年闭会期间会议",
    },
    "short_title": {
        "fr": "CASM – Réunion intersessions 2025",
        "es": "CMR – Reunión entre períodos de sesiones 2025",
        "ru": "ККБ – Межсессионное совещание 2025 года",
        "ar": "اتفاقية الذخائر العنقودية – الاجتماع بين الدورات 2025",
        "zh-hans": "《集束弹药公约》2025年闭会期间会议",
    },
    "body": {
        "fr": "Réunion intersessions",
        "es": "Reunión entre períodos de sesiones",
        "ru": "Межсессионное совещание",
        "ar": "الاجتماع المعقود بين الدورات",
        "zh-hans": "闭会期间会议",
    },
    "presidency": {
        "fr": "Philippines, Présidence de la treizième Assemblée des États parties",
        "es": "Filipinas, Presidencia de la 13ª Reunión de los Estados Partes",
        "ru": "Филиппины, Председательство тринадцатого Совещания государств-участников",
        "ar": "الفلبين، رئاسة الاجتماع الثالث عشر للدول الأطراف",
        "zh-hans": "菲律宾，缔约国第十三次会议主席国",
    },
    "venue": {
        "fr": "Palais des Nations",
        "es": "Palacio de las Naciones",
        "ru": "Дворец Наций",
        "ar": "قصر الأمم",
        "zh-hans": "万国宫",
    },
    "description": {
        "fr": (
            "Convoquée par la Présidence de la treizième Assemblée des États parties, "
            "conformément à la décision de la douzième Assemblée des États parties de tenir une "
            "réunion intersessions sur les progrès accomplis dans l'application de la "
            "Convention.\n\n"
            "La réunion porte sur l'état d'avancement de l'exécution des mandats, les domaines "
            "de travail prioritaires et les efforts en cours du Comité de coordination, et offre "
            "aux États parties et à l'ensemble de la communauté de la CASM une plateforme pour "
            "faire le point sur l'application de la Convention. Elle engage une évaluation "
            "préliminaire des progrès accomplis et des difficultés rencontrées dans la mise en "
            "œuvre du Plan d'action de Lausanne, en prévision d'un examen plus approfondi.\n\n"
            "Elle est aussi l'occasion d'examiner l'évolution du désarmement humanitaire, à la "
            "lumière de faits récents qui ont mis à l'épreuve la résilience du droit "
            "international humanitaire et des normes qui sous-tendent la Convention."
        ),
        "es": (
            "Convocada por la Presidencia de la 13ª Reunión de los Estados Partes, de "
            "conformidad con la decisión de la 12ª Reunión de los Estados Partes de celebrar "
            "una reunión entre períodos de sesiones sobre los progresos realizados en la "
            "aplicación de la Convención.\n\n"
            "La reunión se centra en el estado de ejecución de los mandatos, las esferas de "
            "trabajo prioritarias y la labor en curso del Comité de Coordinación, y ofrece a "
            "los Estados partes y al conjunto de la comunidad de la CMR un espacio para "
            "informar sobre la aplicación de la Convención. En ella se inicia una evaluación "
            "preliminar de los progresos y los desafíos en la aplicación del Plan de Acción de "
            "Lausana, antes de un examen más amplio.\n\n"
            "Es también un foro para abordar la evolución del desarme humanitario, a la luz de "
            "acontecimientos recientes que han puesto a prueba la resiliencia del derecho "
            "internacional humanitario y de las normas en que se basa la Convención."
        ),
        "ru": (
            "Созывается Председательством тринадцатого Совещания государств-участников в "
            "соответствии с решением двенадцатого Совещания государств-участников провести "
            "межсессионное совещание по вопросу о ходе осуществления Конвенции.\n\n"
            "Совещание посвящено ходу выполнения мандатов, приоритетным областям работы и "
            "текущей деятельности Координационного комитета и дает государствам-участникам и "
            "всему сообществу ККБ возможность сообщить о ходе осуществления Конвенции. На нем "
            "начинается предварительная оценка прогресса и трудностей в осуществлении "
            "Лозаннского плана действий в преддверии более всеобъемлющего обзора.\n\n"
            "Совещание служит также форумом для обсуждения меняющейся ситуации в области "
            "гуманитарного разоружения в свете недавних событий, подвергших испытанию "
            "устойчивость международного гуманитарного права и норм, на которых основывается "
            "Конвенция."
        ),
        "ar": (
            "تعقده رئاسة الاجتماع الثالث عشر للدول الأطراف، عملاً بقرار الاجتماع الثاني عشر "
            "للدول الأطراف عقد اجتماع بين الدورات بشأن التقدم المحرز في تنفيذ الاتفاقية.\n\n"
            "يركز الاجتماع على حالة تنفيذ الولايات، ومجالات العمل ذات الأولوية، والجهود "
            "الجارية للجنة التنسيق، ويتيح للدول الأطراف ولمجتمع الاتفاقية الأوسع منبراً لتبادل "
            "المستجدات بشأن تنفيذ الاتفاقية. ويبدأ فيه تقييم أولي للتقدم المحرز والتحديات "
            "القائمة في تنفيذ خطة عمل لوزان، تمهيداً لاستعراض أشمل.\n\n"
            "وهو أيضاً منتدى لتناول المشهد المتطور لنزع السلاح لأغراض إنسانية، في ضوء "
            "التطورات الأخيرة التي اختبرت صمود القانون الدولي الإنساني والقواعد التي تقوم "
            "عليها الاتفاقية."
        ),
        "zh-hans": (
            "根据缔约国第十二次会议关于举行闭会期间会议、讨论《公约》执行进展的决定，由缔约国"
            "第十三次会议主席国召集。\n\n"
            "会议重点讨论任务执行情况、优先工作领域和协调委员会正在开展的工作，并为缔约国和更"
            "广泛的《集束弹药公约》群体提供一个通报《公约》执行最新情况的平台。会议将对"
            "《洛桑行动计划》执行方面的进展和挑战进行初步评估，为更全面的审议做准备。\n\n"
            "会议也是一个论坛，用以探讨人道主义裁军不断变化的形势，因为最近的事态发展考验了"
            "国际人道主义法和《公约》所依据的准则的韧性。"
        ),
    },
}

SITTINGS = {
    "mon-am": {
        "fr": "Première séance (matin)",
        "es": "Primera sesión (mañana)",
        "ru": "Первое заседание (утреннее)",
        "ar": "الجلسة الأولى (صباحاً)",
        "zh-hans": "第一次会议（上午）",
    },
    "mon-pm": {
        "fr": "Deuxième séance (après-midi)",
        "es": "Segunda sesión (tarde)",
        "ru": "Второе заседание (дневное)",
        "ar": "الجلسة الثانية (بعد الظهر)",
        "zh-hans": "第二次会议（下午）",
    },
    "tue-am": {
        "fr": "Troisième séance (matin)",
        "es": "Tercera sesión (mañana)",
        "ru": "Третье заседание (утреннее)",
        "ar": "الجلسة الثالثة (صباحاً)",
        "zh-hans": "第三次会议（上午）",
    },
    "tue-pm": {
        "fr": "Quatrième séance (après-midi)",
        "es": "Cuarta sesión (tarde)",
        "ru": "Четвертое заседание (дневное)",
        "ar": "الجلسة الرابعة (بعد الظهر)",
        "zh-hans": "第四次会议（下午）",
    },
}

DOCUMENTS = {
    "CCM/MSP/2024/11": {
        "fr": "Rapport final de la douzième Assemblée des États parties",
        "es": "Informe final de la Duodécima Reunión de los Estados Partes",
        "ru": "Заключительный доклад двенадцатого Совещания государств-участников",
        "ar": "التقرير الختامي للاجتماع الثاني عشر للدول الأطراف",
        "zh-hans": "缔约国第十二次会议最后报告",
    },
    "CCM/CONF/2021/6": {
        "fr": "Rapport final de la deuxième Conférence d'examen",
        "es": "Informe final de la Segunda Conferencia de Examen",
        "ru": "Заключительный доклад второй Обзорной конференции",
        "ar": "التقرير الختامي للمؤتمر الاستعراضي الثاني",
        "zh-hans": "第二次审议会议最后报告",
    },
    "CCM/MSP/2024/WP.3": {
        "fr": (
            "Document de travail sur les préoccupations et les difficultés soulevées à la "
            "douzième Assemblée des États parties (titre descriptif)"
        ),
        "es": (
            "Documento de trabajo sobre las preocupaciones y los desafíos planteados en la "
            "Duodécima Reunión de los Estados Partes (título descriptivo)"
        ),
        "ru": (
            "Рабочий документ о проблемах и вызовах, поднятых на двенадцатом Совещании "
            "государств-участников (описательное название)"
        ),
        "ar": (
            "ورقة عمل بشأن الشواغل والتحديات التي أثيرت في الاجتماع الثاني عشر للدول الأطراف "
            "(عنوان وصفي)"
        ),
        "zh-hans": "关于缔约国第十二次会议上提出的关切和挑战的工作文件（说明性标题）",
    },
}

#: The Lausanne Action Plan's areas, by slug (`lap.py`).
LAP_AREAS = {
    "universalization": {
        "fr": "Universalisation",
        "es": "Universalización",
        "ru": "Универсализация",
        "ar": "إضفاء الطابع العالمي",
        "zh-hans": "普遍加入",
    },
    "stockpile-destruction": {
        "fr": "Destruction et conservation des stocks",
        "es": "Destrucción y retención de existencias",
        "ru": "Уничтожение и сохранение запасов",
        "ar": "تدمير المخزونات والاحتفاظ بها",
        "zh-hans": "销毁和保留储存",
    },
    "clearance-risk-education": {
        "fr": "Dépollution et éducation aux risques",
        "es": "Remoción y educación sobre el riesgo",
        "ru": "Расчистка и просвещение по вопросам рисков",
        "ar": "التطهير والتوعية بالمخاطر",
        "zh-hans": "清除和风险教育",
    },
    "victim-assistance": {
        "fr": "Assistance aux victimes",
        "es": "Asistencia a las víctimas",
        "ru": "Помощь жертвам",
        "ar": "مساعدة الضحايا",
        "zh-hans": "援助受害者",
    },
}
