"""The synthetic calls' vocabulary: topics with their words in Kazakh, Russian and English,
shared by bench/assignment.py and bench/assignment_db.py."""

TOPICS = [
    (
        "спорт инклюзивті жаттығу мүгедектігі жарыс денешынықтыру бейімделген секция",
        "спорт инклюзивный тренировка инвалидность соревнование физкультура адаптивный секция",
        "sport inclusive training disability competition adaptive coach team",
    ),
    (
        "цифрлық сауаттылық компьютер интернет бағдарлама онлайн қауіпсіздік смартфон",
        "цифровой грамотность компьютер интернет программа онлайн безопасность смартфон",
        "digital literacy computer internet software online safety smartphone",
    ),
    (
        "ерте даму балабақша логопед ата-ана ойын сенсорлық тәрбие",
        "раннее развитие детский сад логопед родители игра сенсорный воспитание",
        "early development kindergarten speech therapist parents play sensory upbringing",
    ),
    (
        "психологиялық қолдау кеңес күйзеліс жарақат топтық сенім терапия",
        "психологический поддержка консультация стресс травма групповой доверие терапия",
        "psychological support counselling stress trauma group trust therapy",
    ),
    (
        "кәсіптік бағдар мамандық жұмыс түлек колледж тағылымдама дағды",
        "профессиональный ориентация профессия работа выпускник колледж стажировка навыки",
        "career guidance profession employment graduate college internship skills",
    ),
    (
        "экологиялық білім табиғат қоқыс сұрыптау ағаш су климат",
        "экологический просвещение природа мусор сортировка дерево вода климат",
        "environmental education nature waste recycling tree water climate",
    ),
    (
        "отбасылық медиация ажырасу келісім дау ерлі-зайыптылар бала құқық",
        "семейный медиация развод соглашение конфликт супруги ребёнок право",
        "family mediation divorce agreement conflict spouses child law",
    ),
    (
        "қарттар үйде күтім зейнеткер медбике жалғыздық денсаулық әлеуметтік",
        "пожилые дому уход пенсионер медсестра одиночество здоровье социальный",
        "elderly home care pensioner nurse loneliness health social",
    ),
    (
        "жасөспірімдер клуб жастар көшбасшылық еріктілер шығармашылық музыка театр",
        "подростки клуб молодёжь лидерство волонтёры творчество музыка театр",
        "teenagers club youth leadership volunteers creativity music theatre",
    ),
    (
        "зорлық-зомбылық алдын алу әйелдер баспана құқықтық көмек дағдарыс қорғау",
        "насилие профилактика женщины убежище правовой помощь кризис защита",
        "violence prevention women shelter legal help crisis protection",
    ),
    (
        "ауыл туризм қолөнер кілем киіз үй шебер мәдени мұра",
        "село туризм ремесло ковёр юрта мастер культурный наследие",
        "rural tourism crafts carpet yurt artisan cultural heritage",
    ),
    (
        "қолжетімді орта пандус арба зағип ым тілі кедергісіз көлік",
        "доступный среда пандус коляска незрячий жестовый язык безбарьерный транспорт",
        "accessible environment ramp wheelchair blind sign language barrier-free transport",
    ),
]
GENERIC = (
    "жоба қатысушылар нәтиже қала аудан жыл ұйым серіктес іс-шара оқыту тұрғындар қызмет "
    "мақсат тиімділік бюджет әкімдік мектеп өңір тұрақты ашық",
    "проект участники результат город район год организация партнёр мероприятие обучение "
    "жители услуга цель эффективность бюджет акимат школа регион устойчивый открытый",
    "project participants results city district year organisation partner event training "
    "residents service goal effectiveness budget authority school region sustainable open",
)
ENDINGS = (
    ("", "лар", "дың", "ға", "да", "мен"),
    ("", "а", "ы", "ой", "ов", "ами"),
    ("", "s", "ing"),
)
LANGUAGE_SHARE = (0.45, 0.40, 0.15)
