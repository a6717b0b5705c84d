"""The demo's agenda in the five languages besides English: item 2 and its subitems (a)–(j),
their titles, annotations and formats, keyed by label then by language (English in
`ccm2025.py`). See `translations.py` for where these come from."""

ITEM_2_LABEL = "2"
ITEM_2 = {
    "title": {
        "fr": "État général et fonctionnement de la Convention",
        "es": "Estado general y funcionamiento de la Convención",
        "ru": "Общее состояние и действие Конвенции",
        "ar": "الحالة العامة للاتفاقية وسير عملها",
        "zh-hans": "《公约》的总体状况和运作",
    },
    "annotation": {
        "fr": (
            "L'état d'avancement de l'exécution des mandats, les domaines de travail "
            "prioritaires et les travaux en cours du Comité de coordination ; les informations "
            "actualisées des États parties et de l'ensemble de la communauté de la CASM sur "
            "l'application de la Convention, et une évaluation préliminaire des progrès "
            "accomplis et des difficultés rencontrées dans la mise en œuvre du Plan d'action de "
            "Lausanne."
        ),
        "es": (
            "El estado de ejecución de los mandatos, las esferas de trabajo prioritarias y la "
            "labor en curso del Comité de Coordinación; la información actualizada de los "
            "Estados partes y del conjunto de la comunidad de la CMR sobre la aplicación de la "
            "Convención, y una evaluación preliminar de los progresos y los desafíos en la "
            "aplicación del Plan de Acción de Lausana."
        ),
        "ru": (
            "Ход выполнения мандатов, приоритетные области работы и текущая деятельность "
            "Координационного комитета; обновленная информация государств-участников и всего "
            "сообщества ККБ об осуществлении Конвенции и предварительная оценка прогресса и "
            "трудностей в осуществлении Лозаннского плана действий."
        ),
        "ar": (
            "حالة تنفيذ الولايات، ومجالات العمل ذات الأولوية، والعمل الجاري للجنة التنسيق؛ "
            "والمستجدات المقدمة من الدول الأطراف ومن مجتمع الاتفاقية الأوسع بشأن تنفيذ "
            "الاتفاقية، وتقييم أولي للتقدم المحرز والتحديات القائمة في تنفيذ خطة عمل لوزان."
        ),
        "zh-hans": (
            "任务执行情况、优先工作领域和协调委员会正在开展的工作；缔约国和更广泛的《集束弹药"
            "公约》群体关于《公约》执行情况的最新信息，以及对《洛桑行动计划》执行方面的进展和"
            "挑战的初步评估。"
        ),
    },
    "format": {
        "fr": (
            "Débats informels. D'abord les alinéas (a) à (i), puis l'alinéa (j) sur les "
            "préoccupations et les difficultés soulevées à la douzième Assemblée des États "
            "parties."
        ),
        "es": (
            "Debates oficiosos. Primero los subtemas (a) a (i) y, a continuación, el subtema (j) "
            "sobre las preocupaciones y los desafíos planteados en la 12ª Reunión de los Estados "
            "Partes."
        ),
        "ru": (
            "Неофициальные обсуждения. Сначала подпункты (a)–(i), затем подпункт (j) о "
            "проблемах и вызовах, поднятых на двенадцатом Совещании государств-участников."
        ),
        "ar": (
            "مناقشات غير رسمية. البنود الفرعية من (a) إلى (i) أولاً، ثم البند الفرعي (j) بشأن "
            "الشواغل والتحديات التي أثيرت في الاجتماع الثاني عشر للدول الأطراف."
        ),
        "zh-hans": (
            "非正式讨论。先讨论分项目(a)至(i)，再讨论关于缔约国第十二次会议上提出的关切和挑战"
            "的分项目(j)。"
        ),
    },
}

# (a)–(i): the format and the annotation the concept note sets for the thematic subitems.
THEMATIC_FORMAT = {
    "fr": (
        "Remarques liminaires des coordonnateurs, puis la parole est donnée aux États parties "
        "et aux autres parties prenantes pour faire le point sur leurs travaux."
    ),
    "es": (
        "Observaciones introductorias de los coordinadores; a continuación, se da la palabra a "
        "los Estados partes y a otras partes interesadas para que informen sobre su labor."
    ),
    "ru": (
        "Вступительные замечания координаторов, затем слово предоставляется "
        "государствам-участникам и другим заинтересованным сторонам для представления "
        "обновленной информации о своей работе."
    ),
    "ar": (
        "ملاحظات استهلالية من المنسقين، ثم تُعطى الكلمة للدول الأطراف وسائر الجهات المعنية "
        "لتقديم المستجدات بشأن عملها."
    ),
    "zh-hans": "协调员作介绍性发言，然后请缔约国和其他利益攸关方发言，通报其工作的最新情况。",
}
THEMATIC_ANNOTATION = {
    "fr": (
        "Exposés et informations actualisées sur les progrès accomplis dans la mise en œuvre du "
        "Plan d'action de Lausanne et sur les mesures prises par les coordonnateurs au titre de "
        "leurs plans de travail 2024-2025. Ces informations alimentent le rapport sur l'état "
        "d'avancement du Plan d'action de Lausanne présenté à la treizième Assemblée des États "
        "parties."
    ),
    "es": (
        "Exposiciones e información actualizada sobre los progresos en la aplicación del Plan "
        "de Acción de Lausana y sobre las medidas adoptadas por los coordinadores en el marco de "
        "sus planes de trabajo 2024-2025. La información actualizada se incorpora al informe "
        "sobre los progresos del Plan de Acción de Lausana que se presentará a la 13ª Reunión de "
        "los Estados Partes."
    ),
    "ru": (
        "Выступления и обновленная информация о ходе осуществления Лозаннского плана действий "
        "и о мерах, принятых координаторами в рамках их планов работы на 2024–2025 годы. Эта "
        "информация используется в докладе о ходе осуществления Лозаннского плана действий, "
        "представляемом тринадцатому Совещанию государств-участников."
    ),
    "ar": (
        "عروض ومستجدات بشأن التقدم المحرز في تنفيذ خطة عمل لوزان وبشأن الإجراءات التي اتخذها "
        "المنسقون في إطار خطط عملهم للفترة 2024-2025. وتُدرج هذه المستجدات في التقرير المرحلي "
        "عن خطة عمل لوزان المقدم إلى الاجتماع الثالث عشر للدول الأطراف."
    ),
    "zh-hans": (
        "介绍和通报《洛桑行动计划》执行进展以及协调员根据其2024-2025年工作计划所采取行动的"
        "最新情况。最新情况将纳入提交缔约国第十三次会议的《洛桑行动计划》进展报告。"
    ),
}

TITLES = {
    "a": {
        "fr": "Universalisation",
        "es": "Universalización",
        "ru": "Универсализация",
        "ar": "إضفاء الطابع العالمي",
        "zh-hans": "普遍加入",
    },
    "b": {
        "fr": "Assistance aux victimes",
        "es": "Asistencia a las víctimas",
        "ru": "Помощь жертвам",
        "ar": "مساعدة الضحايا",
        "zh-hans": "援助受害者",
    },
    "c": {
        "fr": (
            "Dépollution et destruction des restes d'armes à sous-munitions, y compris les "
            "demandes de prolongation au titre de l'article 4"
        ),
        "es": (
            "Remoción y destrucción de restos de municiones en racimo, incluidas las solicitudes "
            "de prórroga en virtud del artículo 4"
        ),
        "ru": (
            "Расчистка и уничтожение остатков кассетных боеприпасов, включая запросы на "
            "продление срока согласно статье 4"
        ),
        "ar": "تطهير مخلفات الذخائر العنقودية وتدميرها، بما في ذلك طلبات التمديد بموجب المادة 4",
        "zh-hans": "清除和销毁集束弹药残留物，包括根据第4条提出的延期请求",
    },
    "d": {
        "fr": "Éducation aux risques",
        "es": "Educación sobre el riesgo",
        "ru": "Просвещение по вопросам рисков",
        "ar": "التوعية بالمخاطر",
        "zh-hans": "风险教育",
    },
    "e": {
        "fr": "Destruction et conservation des stocks",
        "es": "Destrucción y retención de existencias",
        "ru": "Уничтожение и сохранение запасов",
        "ar": "تدمير المخزونات والاحتفاظ بها",
        "zh-hans": "销毁和保留储存",
    },
    "f": {
        "fr": "Coopération et assistance internationales",
        "es": "Cooperación y asistencia internacionales",
        "ru": "Международное сотрудничество и помощь",
        "ar": "التعاون والمساعدة الدوليان",
        "zh-hans": "国际合作与援助",
    },
    "g": {
        "fr": "Mesures de transparence",
        "es": "Medidas de transparencia",
        "ru": "Меры транспарентности",
        "ar": "تدابير الشفافية",
        "zh-hans": "透明度措施",
    },
    "h": {
        "fr": "Genre et diversité des besoins des populations",
        "es": "Género y necesidades diversas de las poblaciones",
        "ru": "Гендерные аспекты и разнообразные потребности населения",
        "ar": "النوع الاجتماعي والاحتياجات المتنوعة للسكان",
        "zh-hans": "性别与人口的多样化需求",
    },
    "i": {
        "fr": "Mesures d'application nationales",
        "es": "Medidas nacionales de aplicación",
        "ru": "Национальные меры по осуществлению",
        "ar": "تدابير التنفيذ الوطنية",
        "zh-hans": "国家执行措施",
    },
    "j": {
        "fr": "Préoccupations et difficultés soulevées à la douzième Assemblée des États parties",
        "es": "Preocupaciones y desafíos planteados en la 12ª Reunión de los Estados Partes",
        "ru": "Проблемы и вызовы, поднятые на двенадцатом Совещании государств-участников",
        "ar": "الشواغل والتحديات التي أثيرت في الاجتماع الثاني عشر للدول الأطراف",
        "zh-hans": "缔约国第十二次会议上提出的关切和挑战",
    },
}

#: What (c) and (h) add to the thematic annotation (Chinese joins without a space).
ANNOTATION_ADDED = {
    "c": {
        "fr": (
            " Les États parties présentent de manière informelle leurs demandes de prolongation "
            "du délai de dépollution prévu à l'article 4."
        ),
        "es": (
            " Los Estados partes presentan de manera oficiosa sus solicitudes de prórroga de los "
            "plazos de remoción previstos en el artículo 4."
        ),
        "ru": (
            " Государства-участники в неофициальном порядке представляют свои запросы на "
            "продление сроков расчистки согласно статье 4."
        ),
        "ar": (
            " وتقدم الدول الأطراف بصورة غير رسمية طلباتها لتمديد المهل المحددة للتطهير بموجب "
            "المادة 4."
        ),
        "zh-hans": "缔约国以非正式方式提出延长第4条规定的清除期限的请求。",
    },
    "h": {
        "fr": (
            " Les coordonnateurs chargés de l'état général et du fonctionnement de la Convention "
            "aident la Présidence à veiller à ce que le genre ainsi que la diversité des besoins "
            "et des expériences des personnes dans les communautés touchées soient pris en "
            "compte dans la mise en œuvre du Plan d'action de Lausanne."
        ),
        "es": (
            " Los coordinadores sobre el estado general y el funcionamiento de la Convención "
            "apoyan a la Presidencia para velar por que en la aplicación del Plan de Acción de "
            "Lausana se tengan en cuenta el género y las diversas necesidades y experiencias de "
            "las personas de las comunidades afectadas."
        ),
        "ru": (
            " Координаторы по общему состоянию и действию Конвенции помогают Председательству "
            "обеспечивать учет гендерных аспектов и разнообразных потребностей и опыта людей в "
            "затронутых общинах при осуществлении Лозаннского плана действий."
        ),
        "ar": (
            " ويدعم المنسقون المعنيون بالحالة العامة للاتفاقية وسير عملها الرئاسةَ في كفالة "
            "مراعاة النوع الاجتماعي والاحتياجات والتجارب المتنوعة للأشخاص في المجتمعات "
            "المتضررة عند تنفيذ خطة عمل لوزان."
        ),
        "zh-hans": (
            "负责《公约》总体状况和运作的协调员协助主席国确保在执行《洛桑行动计划》时考虑到性别"
            "问题以及受影响社区民众的不同需求和经历。"
        ),
    },
}

#: The formats of (c) and (j), and the annotation of (j), which are their own.
FORMATS = {
    "c": {
        "fr": (
            "Remarques liminaires des coordonnateurs. La parole est d'abord donnée aux États "
            "parties qui présentent de manière informelle leurs demandes de prolongation au "
            "titre de l'article 4, puis aux États parties et aux autres parties prenantes pour "
            "faire le point sur leurs travaux."
        ),
        "es": (
            "Observaciones introductorias de los coordinadores. Se da primero la palabra a los "
            "Estados partes que presentan de manera oficiosa sus solicitudes de prórroga en "
            "virtud del artículo 4 y, a continuación, a los Estados partes y a otras partes "
            "interesadas para que informen sobre su labor."
        ),
        "ru": (
            "Вступительные замечания координаторов. Слово предоставляется сначала "
            "государствам-участникам, представляющим в неофициальном порядке свои запросы на "
            "продление срока согласно статье 4, а затем государствам-участникам и другим "
            "заинтересованным сторонам для представления обновленной информации о своей работе."
        ),
        "ar": (
            "ملاحظات استهلالية من المنسقين. تُعطى الكلمة أولاً للدول الأطراف التي تعرض بصورة "
            "غير رسمية طلبات التمديد المقدمة منها بموجب المادة 4، ثم للدول الأطراف وسائر الجهات "
            "المعنية لتقديم المستجدات بشأن عملها."
        ),
        "zh-hans": (
            "协调员作介绍性发言。首先请以非正式方式介绍其根据第4条提出的延期请求的缔约国发言，"
            "然后请缔约国和其他利益攸关方发言，通报其工作的最新情况。"
        ),
    },
    "j": {
        "fr": (
            "Un ou deux exposés de parties prenantes invitées sur l'incidence et les "
            "conséquences possibles des difficultés recensées, puis déclarations des États "
            "parties, des États signataires et des autres parties prenantes, dans le cadre d'un "
            "débat animé par les coordonnateurs."
        ),
        "es": (
            "Una o dos exposiciones de partes interesadas invitadas sobre el impacto y las "
            "posibles consecuencias de los desafíos señalados y, a continuación, declaraciones "
            "de los Estados partes, los Estados signatarios y otras partes interesadas, en un "
            "debate moderado por los coordinadores."
        ),
        "ru": (
            "Одно или два выступления приглашенных заинтересованных сторон о воздействии и "
            "возможных последствиях выявленных вызовов, затем заявления государств-участников, "
            "государств, подписавших Конвенцию, и других заинтересованных сторон в ходе "
            "обсуждения, которое ведут координаторы."
        ),
        "ar": (
            "عرض أو عرضان من جهات معنية مدعوة بشأن أثر التحديات المحددة وعواقبها المحتملة، ثم "
            "بيانات من الدول الأطراف والدول الموقِّعة وسائر الجهات المعنية، في إطار مناقشة "
            "ييسرها المنسقون."
        ),
        "zh-hans": (
            "由受邀利益攸关方就所确定挑战的影响和潜在后果作一至两次介绍，然后由缔约国、签署国"
            "和其他利益攸关方发言，讨论由协调员主持。"
        ),
    },
}
ANNOTATION_J = {
    "fr": (
        "Suivi, avec l'appui des coordonnateurs chargés de l'état général et du fonctionnement "
        "de la Convention, des préoccupations et des difficultés soulevées à la douzième "
        "Assemblée des États parties, notamment celles qui figurent dans le document "
        "CCM/MSP/2024/WP.3, conformément au mandat confié par la douzième Assemblée des États "
        "parties. Les thèmes comprennent notamment :\n"
        "– les nouveaux défis posés à la norme interdisant les armes à sous-munitions ;\n"
        "– les contraintes de capacité en matière d'assistance aux victimes, compte tenu de la "
        "forte augmentation du nombre de victimes de guerre ;\n"
        "– les fortes réductions budgétaires qui touchent la mise en œuvre des mesures "
        "opérationnelles prévues par la Convention, notamment l'assistance aux victimes, la "
        "destruction des stocks et la dépollution, au titre de la coopération et de "
        "l'assistance internationales ;\n"
        "– l'importance accrue de l'éducation aux risques, compte tenu de la diminution des "
        "activités de dépollution."
    ),
    "es": (
        "Seguimiento, con el apoyo de los coordinadores sobre el estado general y el "
        "funcionamiento de la Convención, de las preocupaciones y los desafíos planteados en la "
        "12ª Reunión de los Estados Partes, entre otros los recogidos en el documento "
        "CCM/MSP/2024/WP.3, conforme al mandato de la 12ª Reunión de los Estados Partes. Los "
        "temas incluyen, entre otros:\n"
        "– los nuevos desafíos para la norma que prohíbe las municiones en racimo;\n"
        "– las limitaciones de capacidad en la asistencia a las víctimas, habida cuenta del "
        "aumento considerable del número de víctimas de la guerra;\n"
        "– los importantes recortes presupuestarios que afectan a la ejecución de las medidas "
        "operativas previstas en la Convención, incluidas la asistencia a las víctimas, la "
        "destrucción de existencias y la remoción, en el marco de la cooperación y la "
        "asistencia internacionales;\n"
        "– la mayor importancia de la educación sobre el riesgo, habida cuenta de la reducción "
        "de las actividades de remoción."
    ),
    "ru": (
        "Последующая деятельность, при поддержке координаторов по общему состоянию и действию "
        "Конвенции, в связи с проблемами и вызовами, поднятыми на двенадцатом Совещании "
        "государств-участников, в том числе изложенными в документе CCM/MSP/2024/WP.3, в "
        "соответствии с мандатом двенадцатого Совещания государств-участников. Темы включают, "
        "в частности:\n"
        "– новые вызовы для нормы, запрещающей кассетные боеприпасы;\n"
        "– ограниченность возможностей в области помощи жертвам с учетом значительного роста "
        "числа жертв войны;\n"
        "– значительные сокращения бюджетов, влияющие на осуществление оперативных мер по "
        "Конвенции, включая помощь жертвам, уничтожение запасов и расчистку, в рамках "
        "международного сотрудничества и помощи;\n"
        "– возросшее значение просвещения по вопросам рисков с учетом сокращения масштабов "
        "расчистки."
    ),
    "ar": (
        "متابعة الشواغل والتحديات التي أثيرت في الاجتماع الثاني عشر للدول الأطراف، بدعم من "
        "المنسقين المعنيين بالحالة العامة للاتفاقية وسير عملها، ومنها تلك الواردة في الوثيقة "
        "CCM/MSP/2024/WP.3، وفقاً للولاية التي أسندها الاجتماع الثاني عشر للدول الأطراف. "
        "وتشمل المواضيع، على سبيل المثال لا الحصر:\n"
        "– التحديات الناشئة التي تواجه القاعدة التي تحظر الذخائر العنقودية؛\n"
        "– القيود المتعلقة بالقدرات في مجال مساعدة الضحايا، بالنظر إلى الزيادة الكبيرة في "
        "أعداد ضحايا الحرب؛\n"
        "– التخفيضات الكبيرة في الميزانيات التي تؤثر في تنفيذ الإجراءات العملية بموجب "
        "الاتفاقية، بما في ذلك مساعدة الضحايا وتدمير المخزونات والتطهير، في إطار التعاون "
        "والمساعدة الدوليين؛\n"
        "– تزايد أهمية التوعية بالمخاطر، بالنظر إلى انخفاض مستوى أنشطة التطهير."
    ),
    "zh-hans": (
        "在《公约》总体状况和运作问题协调员的支持下，根据缔约国第十二次会议的授权，跟进缔约国"
        "第十二次会议上提出的关切和挑战，包括CCM/MSP/2024/WP.3号文件所载的关切和挑战。议题"
        "包括但不限于：\n"
        "– 禁止集束弹药准则面临的新挑战；\n"
        "– 鉴于战争受害者大幅增加，援助受害者方面的能力制约；\n"
        "– 预算大幅削减，影响在国际合作与援助项下执行《公约》规定的业务行动，包括援助受害者、"
        "销毁储存和清除；\n"
        "– 鉴于清除活动减少，风险教育的重要性日益增加。"
    ),
}


def item(label: str) -> dict[str, dict[str, str]]:
    """The translations of item 2 (`label` "2") or of one of its subitems: field → language
    → text."""
    if label == ITEM_2_LABEL:
        return ITEM_2
    if label == "j":
        annotation = ANNOTATION_J
    else:
        added = ANNOTATION_ADDED.get(label, {})
        annotation = {
            language: text + added.get(language, "")
            for language, text in THEMATIC_ANNOTATION.items()
        }
    return {
        "title": TITLES[label],
        "annotation": annotation,
        "format": FORMATS.get(label, THEMATIC_FORMAT),
    }
