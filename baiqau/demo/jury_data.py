"""The third demo call, in review: grants for projects that help people with disabilities find
and keep work in Almaty. Its 24 organisations, their projects and the nine experts are invented;
BINs are invented too, each with a valid check digit, and every e-mail address uses the reserved
`.example` domain."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .data import Org

JURY_CALL_SLUG = "almaty-inclusive-employment-2026"

CALL: dict[str, Any] = {
    "title": {
        "kk": "Инклюзивті жұмыспен қамту гранттары",
        "ru": "Гранты на инклюзивную занятость",
        "en": "Inclusive employment grants",
    },
    "aim": {
        "kk": "Алматыда мүгедектігі бар адамдардың жұмыс табуына және оны сақтауына көмектесетін "
        "жобаларды қолдау.",
        "ru": "Поддержать проекты, которые помогают людям с инвалидностью в Алматы найти работу и "
        "удержаться на ней.",
        "en": "To support projects that help people with disabilities in Almaty find work and "
        "keep it.",
    },
    "description": {
        "kk": "Үкіметтік емес ұйымдар, мүгедектігі бар адамдардың ұйымдары және әлеуметтік "
        "кәсіпорындар өтінім бере алады. Грант қоры 20 000 000 ₸, бір жобаға ең көбі "
        "3 000 000 ₸. Әр өтінімді тәуелсіз үш сарапшы бағалайды; шешімді сараптамалық комиссия "
        "қабылдайды.",
        "ru": "Подать заявку могут неправительственные организации, организации лиц с "
        "инвалидностью и социальные предприятия. Грантовый фонд 20 000 000 ₸, не более "
        "3 000 000 ₸ на проект. Каждую заявку оценивают три независимых эксперта; решение "
        "принимает экспертная комиссия.",
        "en": "Non-governmental organisations, organisations of persons with disabilities and "
        "social enterprises may apply. The grant pool is 20 000 000 ₸, at most 3 000 000 ₸ per "
        "project. Three independent experts score each application; the expert commission "
        "decides.",
    },
    "pool_amount": 20_000_000,
    "max_per_project": 3_000_000,
    "eligible_org_types": ["ngo", "dpo", "other"],
}

CRITERIA: list[dict[str, Any]] = [
    {
        "name": {
            "kk": "Жұмыспен қамту нәтижелері",
            "ru": "Результаты для занятости",
            "en": "Employment results",
        },
        "description": {
            "kk": "Жоба мүгедектігі бар адамдардың жұмыс табуына және оны сақтауына қаншалықты "
            "нақты көмектеседі?",
            "ru": "Насколько реально проект помогает людям с инвалидностью найти и сохранить "
            "работу?",
            "en": "How far does the project really help people with disabilities find and keep "
            "work?",
        },
        "weight": Decimal(40),
    },
    {
        "name": {
            "kk": "Жүзеге асырылуы мен бюджеті",
            "ru": "Реализуемость и бюджет",
            "en": "Feasibility and budget",
        },
        "description": {
            "kk": "Жоспар, команда және бюджет нәтижеге жетуге жеткілікті әрі негізді ме?",
            "ru": "Достаточны и обоснованы ли план, команда и бюджет для результата?",
            "en": "Are the plan, the team and the budget sufficient and justified for the results?",
        },
        "weight": Decimal(30),
    },
    {
        "name": {
            "kk": "Мүгедектігі бар адамдардың қатысуы",
            "ru": "Участие людей с инвалидностью",
            "en": "Participation of people with disabilities",
        },
        "description": {
            "kk": "Мүгедектігі бар адамдар жобаны жоспарлауға, жүргізуге және бағалауға қатыса ма?",
            "ru": "Участвуют ли люди с инвалидностью в планировании, работе и оценке проекта?",
            "en": "Do people with disabilities take part in planning, running and evaluating the "
            "project?",
        },
        "weight": Decimal(30),
        "min_score": 1,
        "max_score": 5,
    },
]

# The labels of every point of the third criterion's scale ("nothing about us without us").
ANCHORED_CRITERION = 2
ANCHORS: dict[str, dict[str, str]] = {
    "1": {
        "kk": "Қатыспайды: жоба олар үшін, бірақ оларсыз жасалған",
        "ru": "Не участвуют: проект сделан для них, но без них",
        "en": "Not at all: the project is made for them, without them",
    },
    "2": {
        "kk": "Тек қатысушы ретінде",
        "ru": "Только как участники",
        "en": "Only as participants",
    },
    "3": {
        "kk": "Кеңес береді: пікірлері сұралады",
        "ru": "Консультируют: их мнение спрашивают",
        "en": "Consulted: their views are asked for",
    },
    "4": {
        "kk": "Командада: жоспарлауға және жүргізуге қатысады",
        "ru": "В команде: участвуют в планировании и работе",
        "en": "In the team: they help plan and run it",
    },
    "5": {
        "kk": "Басқарады: жобаны мүгедектігі бар адамдардың өздері басқарады",
        "ru": "Руководят: проектом руководят сами люди с инвалидностью",
        "en": "Leading: people with disabilities run the project themselves",
    },
}

# The call's areas, by their English names (see review.services.plan.DEFAULT_TAGS).
DISABILITY, MENTAL_HEALTH, CHILDREN = "Disability", "Mental health", "Children"
EMPLOYMENT, VOLUNTEERING, ELDERLY = "Employment", "Volunteering", "Elderly people"


@dataclass(frozen=True)
class JuryProject:
    org: Org
    language: str
    tags: tuple[str, ...]
    title: dict[str, str]
    summary: dict[str, str]
    target_group: dict[str, str]
    goal: str  # in the application's language
    requested: int
    beneficiaries: int


def _org(key: str, bin11: str, org_type: str, kk: str, ru: str, en: str) -> Org:
    return Org(key, bin11, org_type, {"kk": kk, "ru": ru, "en": en})


def _t(kk: str, ru: str, en: str) -> dict[str, str]:
    return {"kk": kk, "ru": ru, "en": en}


PROJECTS: list[JuryProject] = [
    JuryProject(
        _org(
            "qoltili",
            "08034015613",
            "dpo",
            "«Қол тілі» естімейтін адамдар бірлестігі",
            "Объединение неслышащих «Кол тили»",
            "Qol Tili Association of Deaf People",
        ),
        "kk",
        (DISABILITY, EMPLOYMENT),
        _t(
            "Ымдау тілі аудармашысымен жұмысқа орналасу",
            "Трудоустройство с сурдопереводчиком",
            "Getting a job with a sign-language interpreter",
        ),
        _t(
            "Естімейтін адамдарға әңгімелесуге және жұмыстың алғашқы айларына ымдау тілі "
            "аудармашысы мен тәлімгер беріледі.",
            "Неслышащие соискатели получают сурдопереводчика и наставника на собеседованиях и в "
            "первые месяцы работы.",
            "Deaf jobseekers get a sign-language interpreter and a mentor for interviews and "
            "their first months at work.",
        ),
        _t(
            "Жұмыс іздеп жүрген естімейтін және нашар еститін ересектер",
            "Неслышащие и слабослышащие взрослые, ищущие работу",
            "Deaf and hard-of-hearing adults looking for work",
        ),
        "60 естімейтін адамның кемінде 25-і жыл соңына дейін тұрақты жұмысқа орналасады.",
        2_400_000,
        60,
    ),
    JuryProject(
        _org(
            "kedergisiz",
            "11064041875",
            "dpo",
            "«Кедергісіз» арбамен жүретін адамдар қоғамдық бірлестігі",
            "Общественное объединение колясочников «Кедергисиз»",
            "Kedergisiz Wheelchair Users' Association",
        ),
        "ru",
        (DISABILITY, EMPLOYMENT),
        _t(
            "Арбамен жүретін адамдарға IT мамандықтары",
            "IT-профессии для людей на колясках",
            "IT careers for wheelchair users",
        ),
        _t(
            "Тестілеу мен веб-әзірлеу бойынша алты айлық курс, содан кейін серіктес "
            "компанияларда қашықтан тағылымдама.",
            "Шестимесячный курс тестирования и веб-разработки, затем удалённая стажировка в "
            "компаниях-партнёрах.",
            "A six-month course in software testing and web development, followed by a remote "
            "internship with partner companies.",
        ),
        _t(
            "18–40 жастағы арбамен жүретін адамдар",
            "Люди на колясках 18–40 лет",
            "Wheelchair users aged 18 to 40",
        ),
        "Обучить 40 человек и помочь не менее чем 15 из них получить оплачиваемую работу в IT.",
        2_800_000,
        40,
    ),
    JuryProject(
        _org(
            "ashyqesik",
            "14024065865",
            "ngo",
            "«Ашық есік» психикалық денсаулық клубы",
            "Клубный дом психического здоровья «Ашык есик»",
            "Ashyq Esik Mental Health Clubhouse",
        ),
        "ru",
        (MENTAL_HEALTH, EMPLOYMENT),
        _t(
            "Клубтық үй: психикалық бұзылысы бар адамдарды қолдап жұмысқа орналастыру",
            "Клубный дом: поддерживаемое трудоустройство людей с психическими расстройствами",
            "Clubhouse: supported employment for people living with mental illness",
        ),
        _t(
            "Клуб мүшелері уақытша жұмыс орындарында тәжірибе жинап, содан кейін жұмыс берушіде "
            "тұрақты қолдаумен жұмыс істейді.",
            "Члены клуба набираются опыта на переходных рабочих местах, затем работают у "
            "работодателя при постоянной поддержке.",
            "Members gain experience in transitional jobs, then work for an employer with "
            "ongoing support.",
        ),
        _t(
            "Психикалық бұзылысы бар ересектер",
            "Взрослые с психическими расстройствами",
            "Adults living with mental illness",
        ),
        "Вернуть к труду 45 человек: не менее 20 переходных и 12 постоянных рабочих мест.",
        2_500_000,
        45,
    ),
    JuryProject(
        _org(
            "qolushy",
            "09104067085",
            "ngo",
            "«Қол ұшы» еріктілер орталығы",
            "Волонтёрский центр «Кол ушы»",
            "Qol Ushy Volunteer Centre",
        ),
        "kk",
        (VOLUNTEERING, EMPLOYMENT, DISABILITY),
        _t(
            "Ерікті жұмыс тәлімгерлері",
            "Волонтёры — наставники на рабочем месте",
            "Volunteer job coaches",
        ),
        _t(
            "Дайындықтан өткен еріктілер мүгедектігі бар жаңа қызметкерлерді алғашқы үш айда "
            "жұмыс орнында сүйемелдейді.",
            "Обученные волонтёры сопровождают новых сотрудников с инвалидностью на рабочем месте "
            "в первые три месяца.",
            "Trained volunteers accompany new employees with disabilities at work for their "
            "first three months.",
        ),
        _t(
            "Жаңадан жұмысқа орналасқан мүгедектігі бар адамдар",
            "Люди с инвалидностью, недавно принятые на работу",
            "People with disabilities who have just been hired",
        ),
        "40 ерікті тәлімгер дайындап, 80 адамның жұмыс орнында сақталуына көмектесу.",
        1_500_000,
        80,
    ),
    JuryProject(
        _org(
            "tazhiribe",
            "12074084829",
            "ngo",
            "«Тәжірибе» аға буын қауымдастығы",
            "Ассоциация старшего поколения «Тажирибе»",
            "Tazhiribe Older Generation Association",
        ),
        "ru",
        (ELDERLY, EMPLOYMENT, DISABILITY),
        _t(
            "Тәжірибе зейнетке шықпайды: мүгедектігі бар егде адамдардың жұмысы",
            "Опыт не на пенсии: занятость пожилых людей с инвалидностью",
            "Experience doesn't retire: work for older people with disabilities",
        ),
        _t(
            "55 жастан асқан мүгедектігі бар адамдарға икемді кестемен кеңесші және тәлімгер "
            "болып жұмыс табуға көмек.",
            "Помощь людям с инвалидностью старше 55 лет в поиске работы консультантами и "
            "наставниками с гибким графиком.",
            "Helping people with disabilities over 55 find flexible work as advisers and mentors.",
        ),
        _t(
            "55 жастан асқан мүгедектігі бар адамдар",
            "Люди с инвалидностью старше 55 лет",
            "People with disabilities over 55",
        ),
        "Подобрать работу с гибким графиком для 20 из 50 участников.",
        1_800_000,
        50,
    ),
    JuryProject(
        _org(
            "qadam",
            "15094013452",
            "dpo",
            "«Қадам» зияткерлік ерекшелігі бар балалардың ата-аналары қауымдастығы",
            "Ассоциация родителей детей с интеллектуальными нарушениями «Кадам»",
            "Qadam Association of Parents of Children with Intellectual Disabilities",
        ),
        "kk",
        (CHILDREN, EMPLOYMENT, DISABILITY),
        _t(
            "Мектептен жұмысқа: зияткерлік ерекшелігі бар жасөспірімдерге кәсіби сынақтар",
            "Из школы на работу: профессиональные пробы для подростков с интеллектуальными "
            "нарушениями",
            "From school to work: job tasters for teenagers with intellectual disabilities",
        ),
        _t(
            "16–18 жастағы жасөспірімдер бес кәсіпорында кәсіби сынақтан өтіп, отбасымен бірге "
            "жеке мансап жоспарын құрады.",
            "Подростки 16–18 лет проходят профессиональные пробы на пяти предприятиях и вместе с "
            "семьёй составляют личный план карьеры.",
            "Teenagers aged 16 to 18 try out jobs at five workplaces and draw up a personal "
            "career plan with their families.",
        ),
        _t(
            "Зияткерлік ерекшелігі бар 16–18 жастағы жасөспірімдер",
            "Подростки 16–18 лет с интеллектуальными нарушениями",
            "Teenagers aged 16 to 18 with intellectual disabilities",
        ),
        "35 жасөспірімнің әрқайсысы кемінде үш кәсіпті байқап көріп, мансап жоспарын алады.",
        2_200_000,
        35,
    ),
    JuryProject(
        _org(
            "nurlykoz",
            "17044029266",
            "dpo",
            "«Нұрлы көз» көру қабілеті бұзылған адамдар қоғамы",
            "Общество людей с нарушениями зрения «Нурлы коз»",
            "Nurly Koz Society of Blind and Partially Sighted People",
        ),
        "en",
        (DISABILITY, EMPLOYMENT),
        _t(
            "Көзі көрмейтін операторлар жұмыс істейтін байланыс орталығы",
            "Колл-центр, где работают незрячие операторы",
            "A call centre staffed by blind and partially sighted operators",
        ),
        _t(
            "Экранды дыбыстайтын бағдарламалармен жабдықталған байланыс орталығы көзі көрмейтін "
            "және нашар көретін 25 операторды жұмысқа алады.",
            "Колл-центр с программами экранного доступа нанимает 25 незрячих и слабовидящих "
            "операторов.",
            "A call centre equipped with screen readers employs 25 blind and partially sighted "
            "operators.",
        ),
        _t(
            "Көзі көрмейтін және нашар көретін ересектер",
            "Незрячие и слабовидящие взрослые",
            "Blind and partially sighted adults",
        ),
        "Create 25 paid jobs and sign service contracts with at least three city organisations.",
        3_000_000,
        25,
    ),
    JuryProject(
        _org(
            "dostarnan",
            "13114078778",
            "other",
            "«Достар нан» әлеуметтік кәсіпорны ЖШС",
            "ТОО «Социальное предприятие „Достар нан“»",
            "Dostar Nan Social Enterprise LLP",
        ),
        "ru",
        (DISABILITY, MENTAL_HEALTH, EMPLOYMENT),
        _t(
            "Аутизмі бар жастарға арналған инклюзивті наубайхана",
            "Инклюзивная пекарня для молодых людей с аутизмом",
            "An inclusive bakery for young people with autism",
        ),
        _t(
            "Наубайхана аутизмі бар жастарды нан пісіруге үйретіп, оларға жалақы төленетін "
            "жұмыс орындарын ашады.",
            "Пекарня обучает молодых людей с аутизмом хлебопечению и открывает для них "
            "оплачиваемые рабочие места.",
            "The bakery trains young people with autism as bakers and opens paid jobs for them.",
        ),
        _t(
            "18–30 жастағы аутизмі бар жастар",
            "Молодые люди с аутизмом 18–30 лет",
            "Young people with autism aged 18 to 30",
        ),
        "Обучить 20 человек и трудоустроить в пекарне не менее восьми.",
        2_900_000,
        20,
    ),
    JuryProject(
        _org(
            "employers",
            "06054081459",
            "other",
            "Алматы инклюзивті жұмыс берушілер қауымдастығы",
            "Ассоциация инклюзивных работодателей Алматы",
            "Almaty Inclusive Employers' Association",
        ),
        "en",
        (EMPLOYMENT, DISABILITY),
        _t(
            "Қолжетімді жұмыс орны: Алматының 60 жұмыс берушісіне тегін аудит",
            "Доступное рабочее место: бесплатный аудит для 60 работодателей Алматы",
            "Accessible workplaces: a free audit for 60 Almaty employers",
        ),
        _t(
            "Сарапшылар кеңселер мен цехтардың қолжетімділігін тексеріп, әр жұмыс берушіге "
            "бейімдеу жоспарын ұсынады.",
            "Эксперты проверяют доступность офисов и цехов и предлагают каждому работодателю "
            "план адаптации.",
            "Experts check offices and workshops for accessibility and give each employer a plan "
            "for adapting them.",
        ),
        _t(
            "Мүгедектігі бар адамдарды жұмысқа алғысы келетін жұмыс берушілер",
            "Работодатели, готовые нанимать людей с инвалидностью",
            "Employers ready to hire people with disabilities",
        ),
        "Audit 60 workplaces and help 30 employers open at least one accessible job each.",
        2_000_000,
        60,
    ),
    JuryProject(
        _org(
            "tenteng",
            "18124072949",
            "ngo",
            "«Тең-теңімен» өзара көмек желісі",
            "Сеть взаимопомощи «Тен-тенимен»",
            "Ten-Tenimen Peer Support Network",
        ),
        "kk",
        (MENTAL_HEALTH, VOLUNTEERING),
        _t(
            "Тең-теңімен: жұмыс іздеушілерге психологиялық қолдау топтары",
            "Равный равному: группы психологической поддержки для ищущих работу",
            "Peer to peer: support groups for jobseekers",
        ),
        _t(
            "Ұзақ уақыт жұмыссыз жүрген мүгедектігі бар адамдарға тең кеңесшілер жүргізетін апта "
            "сайынғы топтар.",
            "Еженедельные группы, которые ведут обученные равные консультанты, для людей с "
            "инвалидностью, долго не имеющих работы.",
            "Weekly groups led by trained peer counsellors for people with disabilities who have "
            "been out of work a long time.",
        ),
        _t(
            "Бір жылдан астам жұмыссыз жүрген мүгедектігі бар адамдар",
            "Люди с инвалидностью без работы больше года",
            "People with disabilities out of work for more than a year",
        ),
        "70 қатысушының жұмыс іздеуге деген сенімін арттырып, кемінде 20-сын жұмысқа орналастыру.",
        1_200_000,
        70,
    ),
    JuryProject(
        _org(
            "inemenzhip",
            "10024055130",
            "other",
            "«Ине мен жіп» тігін кооперативі",
            "Швейный кооператив «Ине мен жип»",
            "Ine men Zhip Sewing Cooperative",
        ),
        "kk",
        (DISABILITY, EMPLOYMENT),
        _t(
            "Тігін цехы: мүгедектігі бар әйелдерге тұрақты жұмыс орындары",
            "Швейный цех: постоянные рабочие места для женщин с инвалидностью",
            "A sewing workshop: permanent jobs for women with disabilities",
        ),
        _t(
            "Кооператив бейімделген тігін машиналарын сатып алып, 18 әйелді жұмысқа алады және "
            "мектеп формасына тапсырыс алады.",
            "Кооператив закупает адаптированные швейные машины, нанимает 18 женщин и берёт "
            "заказы на школьную форму.",
            "The cooperative buys adapted sewing machines, hires 18 women and takes orders for "
            "school uniforms.",
        ),
        _t(
            "Мүгедектігі бар әйелдер",
            "Женщины с инвалидностью",
            "Women with disabilities",
        ),
        "18 тұрақты жұмыс орнын ашып, цехты екі жылда өзін-өзі ақтайтын ету.",
        3_000_000,
        18,
    ),
    JuryProject(
        _org(
            "cifrqadam",
            "16084075047",
            "ngo",
            "«Цифрлық қадам» қоғамдық қоры",
            "Общественный фонд «Цифровой шаг»",
            "Digital Step Public Foundation",
        ),
        "kk",
        (ELDERLY, EMPLOYMENT),
        _t(
            "Қашықтан жұмыс: мүгедектігі бар егде адамдарға цифрлық дағдылар",
            "Удалённая работа: цифровые навыки для пожилых людей с инвалидностью",
            "Working from home: digital skills for older people with disabilities",
        ),
        _t(
            "Компьютерлік сауаттылық, онлайн-сауда және қашықтан жұмыс іздеу бойынша үш айлық "
            "курстар.",
            "Трёхмесячные курсы компьютерной грамотности, онлайн-продаж и поиска удалённой работы.",
            "Three-month courses in computer literacy, online selling and finding remote work.",
        ),
        _t(
            "Мүгедектігі бар егде адамдар",
            "Пожилые люди с инвалидностью",
            "Older people with disabilities",
        ),
        "90 адамды оқытып, оның 25-іне қашықтан табыс табуға көмектесу.",
        1_600_000,
        90,
    ),
    JuryProject(
        _org(
            "ashyqas",
            "19014071802",
            "ngo",
            "«Ашық ас үй» инклюзивті қонақжайлылық орталығы",
            "Центр инклюзивного гостеприимства «Открытая кухня»",
            "Open Kitchen Inclusive Hospitality Centre",
        ),
        "en",
        (DISABILITY, EMPLOYMENT, VOLUNTEERING),
        _t(
            "Алматының қонақүйлері мен кафелерінде сүйемелдеумен жұмыс",
            "Сопровождаемое трудоустройство в гостиницах и кафе Алматы",
            "Supported employment in Almaty's hotels and cafés",
        ),
        _t(
            "Жұмыс жаттықтырушылары мүгедектігі бар адамдарды қонақжайлылық саласына дайындап, "
            "жұмыс орнында сүйемелдейді.",
            "Джоб-коучи готовят людей с инвалидностью к работе в гостеприимстве и сопровождают "
            "их на рабочем месте.",
            "Job coaches prepare people with disabilities for work in hospitality and support "
            "them on the job.",
        ),
        _t(
            "Зияткерлік және дене мүгедектігі бар ересектер",
            "Взрослые с интеллектуальной и физической инвалидностью",
            "Adults with intellectual and physical disabilities",
        ),
        "Place 30 people in hotel and café jobs, with at least 20 still employed after six months.",
        2_600_000,
        30,
    ),
    JuryProject(
        _org(
            "bolashaq",
            "14054095753",
            "ngo",
            "«Болашаққа қадам» жастар қоры",
            "Молодёжный фонд «Шаг в будущее»",
            "Step into the Future Youth Foundation",
        ),
        "ru",
        (CHILDREN, EMPLOYMENT, DISABILITY),
        _t(
            "Мүгедектігі бар колледж студенттеріне тағылымдама",
            "Стажировки для студентов колледжей с инвалидностью",
            "Internships for college students with disabilities",
        ),
        _t(
            "Колледж студенттері серіктес компанияларда үш айлық ақылы тағылымдамадан өтеді, әр "
            "студентке тәлімгер бекітіледі.",
            "Студенты колледжей проходят оплачиваемую трёхмесячную стажировку в компаниях-"
            "партнёрах с закреплённым наставником.",
            "College students do a paid three-month internship with partner companies, each with "
            "a mentor.",
        ),
        _t(
            "Мүгедектігі бар 17–23 жастағы колледж студенттері",
            "Студенты колледжей с инвалидностью 17–23 лет",
            "College students with disabilities aged 17 to 23",
        ),
        "Организовать 40 стажировок, после которых не менее 15 студентов получат предложение о "
        "работе.",
        2_300_000,
        40,
    ),
    JuryProject(
        _org(
            "umit",
            "20034064343",
            "ngo",
            "«Үміт» психоәлеуметтік оңалту орталығы",
            "Центр психосоциальной реабилитации «Умит»",
            "Umit Psychosocial Rehabilitation Centre",
        ),
        "ru",
        (MENTAL_HEALTH, EMPLOYMENT),
        _t(
            "Психоәлеуметтік оңалту орталығындағы еңбек шеберханалары",
            "Трудовые мастерские при центре психосоциальной реабилитации",
            "Work workshops at a psychosocial rehabilitation centre",
        ),
        _t(
            "Ағаш өңдеу, керамика және баспа шеберханалары психикалық мүгедектігі бар адамдардың "
            "еңбек дағдыларын қалпына келтіреді.",
            "Мастерские деревообработки, керамики и полиграфии восстанавливают трудовые навыки "
            "людей с психической инвалидностью.",
            "Woodwork, ceramics and printing workshops rebuild the work skills of people with "
            "psychosocial disabilities.",
        ),
        _t(
            "Психикалық мүгедектігі бар ересектер",
            "Взрослые с психической инвалидностью",
            "Adults with psychosocial disabilities",
        ),
        "35 участников освоят ремесло, 10 из них перейдут на работу к партнёрам мастерских.",
        2_700_000,
        35,
    ),
    JuryProject(
        _org(
            "zholserik",
            "11104098438",
            "ngo",
            "«Жолсерік» еріктілер қоғамдық бірлестігі",
            "Общественное объединение волонтёров «Жолсерик»",
            "Zholserik Volunteers (public association)",
        ),
        "kk",
        (VOLUNTEERING, DISABILITY, EMPLOYMENT),
        _t(
            "Жұмысқа жету: арбамен жүретін қызметкерлерге еріктілер көлігі",
            "Доехать до работы: волонтёрский транспорт для сотрудников на колясках",
            "Getting to work: volunteer transport for employees who use wheelchairs",
        ),
        _t(
            "Ерікті жүргізушілер бейімделген көлікпен арбамен жүретін қызметкерлерді таңертең "
            "жұмысқа, кешке үйге жеткізеді.",
            "Волонтёры-водители на адаптированных машинах возят сотрудников на колясках на "
            "работу и домой.",
            "Volunteer drivers with adapted vehicles take employees who use wheelchairs to work "
            "and home again.",
        ),
        _t(
            "Жұмыс істейтін арбамен жүретін адамдар",
            "Работающие люди на колясках",
            "Working people who use wheelchairs",
        ),
        "50 қызметкердің жұмысқа жету мәселесін бір жыл бойы шешу.",
        1_400_000,
        50,
    ),
    JuryProject(
        _org(
            "sezim",
            "07114076876",
            "dpo",
            "«Сезім» көру және есту қабілеті бұзылған адамдар орталығы",
            "Центр для слепоглухих людей «Сезим»",
            "Sezim Centre for Deafblind People",
        ),
        "kk",
        (DISABILITY, EMPLOYMENT),
        _t(
            "Көру және есту қабілеті бұзылған адамдарға қолөнер шеберханасы",
            "Ремесленная мастерская для слепоглухих людей",
            "A craft workshop for deafblind people",
        ),
        _t(
            "Тактильді әдістемемен тоқу өнеріне үйретіп, бұйымдарды сату арқылы табыс табуға "
            "көмектеседі.",
            "Обучение ткачеству и вязанию по тактильной методике и помощь в заработке на продаже "
            "изделий.",
            "Teaching weaving and knitting with tactile methods, and helping people earn from "
            "selling what they make.",
        ),
        _t(
            "Көру және есту қабілеті бұзылған адамдар",
            "Слепоглухие люди",
            "Deafblind people",
        ),
        "15 адамды кәсіпке үйретіп, бұйымдарды сататын тұрақты нүкте ашу.",
        1_900_000,
        15,
    ),
    JuryProject(
        _org(
            "mansap",
            "15034057815",
            "ngo",
            "«Мансап көпірі» қоғамдық қоры",
            "Общественный фонд «Мост в профессию»",
            "Career Bridge Public Foundation",
        ),
        "en",
        (EMPLOYMENT, VOLUNTEERING),
        _t(
            "Түйіндеме клиникасы және ерікті HR-мамандармен сынақ сұхбаттары",
            "Клиника резюме и пробные собеседования с HR-волонтёрами",
            "CV clinics and mock interviews with volunteer HR professionals",
        ),
        _t(
            "Ай сайынғы клиникаларда ерікті HR-мамандар түйіндеме жазуға көмектесіп, сынақ "
            "сұхбат өткізеді.",
            "На ежемесячных клиниках HR-специалисты-волонтёры помогают составить резюме и "
            "проводят пробные собеседования.",
            "At monthly clinics, volunteer HR professionals help people write their CVs and run "
            "mock interviews.",
        ),
        _t(
            "Жұмыс іздеп жүрген мүгедектігі бар адамдар",
            "Ищущие работу люди с инвалидностью",
            "Jobseekers with disabilities",
        ),
        "Help 150 jobseekers prepare a CV, and 50 of them reach a real interview within three "
        "months.",
        900_000,
        150,
    ),
    JuryProject(
        _org(
            "anazhuregi",
            "12064031448",
            "ngo",
            "«Ана жүрегі» мүгедектігі бар балалардың ата-аналары одағы",
            "Союз родителей детей с инвалидностью «Ана журеги»",
            "Ana Zhuregi Union of Parents of Children with Disabilities",
        ),
        "ru",
        (EMPLOYMENT, DISABILITY),
        _t(
            "Мүгедектігі бар ересек балаларын күтетін ата-аналарға икемді жұмыс",
            "Гибкая занятость для родителей, ухаживающих за взрослыми детьми с инвалидностью",
            "Flexible work for parents caring for adult children with disabilities",
        ),
        _t(
            "Ата-аналар үйден жұмыс істеуді үйренеді, ал балалары осы уақытта күндізгі топта "
            "болады.",
            "Родители осваивают работу на дому, а их дети в это время находятся в дневной группе.",
            "Parents learn to work from home while their children spend the day in a day-care "
            "group.",
        ),
        _t(
            "Мүгедектігі бар ересек балалардың ата-аналары",
            "Родители взрослых детей с инвалидностью",
            "Parents of adult children with disabilities",
        ),
        "60 родителей получат профессию для работы на дому, 25 из них — первый заработок.",
        1_700_000,
        60,
    ),
    JuryProject(
        _org(
            "zhanakun",
            "17074000332",
            "ngo",
            "«Жаңа күн» психологиялық қолдау орталығы",
            "Центр психологической поддержки «Жана кун»",
            "Zhana Kun Psychological Support Centre",
        ),
        "kk",
        (MENTAL_HEALTH, EMPLOYMENT),
        _t(
            "Қайта жұмысқа: депрессиядан кейін жұмысқа оралу бағдарламасы",
            "Снова на работу: программа возвращения к труду после депрессии",
            "Back to work: a return-to-work programme after depression",
        ),
        _t(
            "Психолог пен мансап кеңесшісі бірге жеке жоспар құрып, жұмыс берушімен біртіндеп "
            "оралу туралы келіседі.",
            "Психолог и карьерный консультант составляют личный план и договариваются с "
            "работодателем о постепенном возвращении.",
            "A psychologist and a careers adviser draw up a personal plan and agree a gradual "
            "return with the employer.",
        ),
        _t(
            "Депрессия мен мазасыздық салдарынан жұмыссыз қалған адамдар",
            "Люди, потерявшие работу из-за депрессии и тревожности",
            "People who lost their work because of depression or anxiety",
        ),
        "40 қатысушының кемінде жартысы алты ай ішінде жұмысқа оралады.",
        1_300_000,
        40,
    ),
    JuryProject(
        _org(
            "zhasylbaq",
            "19044080504",
            "ngo",
            "«Жасыл бақ» әлеуметтік бағбандық қоры",
            "Фонд социального садоводства «Жасыл бак»",
            "Zhasyl Baq Social Gardening Foundation",
        ),
        "ru",
        (DISABILITY, EMPLOYMENT, VOLUNTEERING),
        _t(
            "Қалалық жылыжайлар: зияткерлік мүгедектігі бар адамдарға маусымдық жұмыс",
            "Городские теплицы: сезонная работа для людей с ментальной инвалидностью",
            "City greenhouses: seasonal work for people with intellectual disabilities",
        ),
        _t(
            "Қатысушылар жылыжайда көшет өсіріп, қала саябақтарына сатады; оларды ерікті "
            "бағбандар үйретеді.",
            "Участники выращивают рассаду в теплице и продают её городским паркам; обучают "
            "волонтёры-садоводы.",
            "Participants grow seedlings in a greenhouse and sell them to city parks; volunteer "
            "gardeners train them.",
        ),
        _t(
            "Зияткерлік мүгедектігі бар ересектер",
            "Взрослые с ментальной инвалидностью",
            "Adults with intellectual disabilities",
        ),
        "25 участников получат сезонную оплачиваемую работу, теплица выйдет на самоокупаемость.",
        2_600_000,
        25,
    ),
    JuryProject(
        _org(
            "agabuyn",
            "21064010580",
            "ngo",
            "«Аға буын» тәлімгерлер клубы",
            "Клуб наставников «Ага буын»",
            "Aga Buyn Mentors' Club",
        ),
        "kk",
        (ELDERLY, VOLUNTEERING, CHILDREN),
        _t(
            "Аға буын тәлімгерлері: зейнеткер мамандар мүгедектігі бар жастарға",
            "Наставники старшего поколения: специалисты на пенсии — молодёжи с инвалидностью",
            "Mentors from the older generation: retired professionals for young people with "
            "disabilities",
        ),
        _t(
            "Зейнеткер инженерлер, дәрігерлер мен бухгалтерлер мүгедектігі бар жастарға бір жыл "
            "бойы кәсіби тәлімгер болады.",
            "Инженеры, врачи и бухгалтеры на пенсии целый год наставляют молодых людей с "
            "инвалидностью в профессии.",
            "Retired engineers, doctors and accountants mentor young people with disabilities in "
            "their profession for a year.",
        ),
        _t(
            "Мүгедектігі бар 18–25 жастағы жастар",
            "Молодые люди с инвалидностью 18–25 лет",
            "Young people with disabilities aged 18 to 25",
        ),
        "30 тәлімгер жұбын құрып, 60 жасты кәсіби ортамен таныстыру.",
        1_100_000,
        60,
    ),
    JuryProject(
        _org(
            "tenmumkindik",
            "13094014514",
            "ngo",
            "«Тең мүмкіндік» инклюзия орталығы",
            "Центр инклюзии «Равные возможности»",
            "Equal Opportunities Inclusion Centre",
        ),
        "en",
        (EMPLOYMENT, DISABILITY),
        _t(
            "Инклюзивті жұмысқа қабылдау: HR-менеджерлерге арналған құралдар мен оқыту",
            "Инклюзивный найм: инструменты и обучение для HR-менеджеров",
            "Inclusive hiring: a toolkit and training for HR managers",
        ),
        _t(
            "HR-менеджерлер мүгедектігі бар үміткерлерді кемсітусіз іріктеуді үйренеді; ашық "
            "құралдар жинағы жарияланады.",
            "HR-менеджеры учатся отбирать кандидатов с инвалидностью без дискриминации; "
            "публикуется открытый набор инструментов.",
            "HR managers learn to select candidates with disabilities without discrimination; an "
            "open toolkit is published.",
        ),
        _t(
            "Алматы компанияларының HR-менеджерлері",
            "HR-менеджеры компаний Алматы",
            "HR managers of Almaty companies",
        ),
        "Train 120 HR managers and see at least 40 vacancies advertised as accessible.",
        1_800_000,
        120,
    ),
    JuryProject(
        _org(
            "dybys",
            "10124037649",
            "dpo",
            "«Дыбыс» есту қабілеті бұзылған жастар орталығы",
            "Центр для молодёжи с нарушением слуха «Дыбыс»",
            "Dybys Centre for Young People with Hearing Loss",
        ),
        "ru",
        (DISABILITY, CHILDREN, EMPLOYMENT),
        _t(
            "Телефон жөндеу шеберханасы: есту қабілеті бұзылған жасөспірімдерге кәсіп",
            "Мастерская по ремонту телефонов: профессия для подростков с нарушением слуха",
            "A phone repair workshop: a trade for teenagers with hearing loss",
        ),
        _t(
            "Жасөспірімдер ымдау тілінде сабақ беретін шеберден телефон жөндеуді үйреніп, "
            "шеберханада тапсырыс орындайды.",
            "Подростки учатся ремонту телефонов у мастера, преподающего на жестовом языке, и "
            "выполняют заказы в мастерской.",
            "Teenagers learn phone repair from a technician who teaches in sign language, and "
            "take orders in the workshop.",
        ),
        _t(
            "Есту қабілеті бұзылған 15–19 жастағы жасөспірімдер",
            "Подростки 15–19 лет с нарушением слуха",
            "Teenagers aged 15 to 19 with hearing loss",
        ),
        "24 подростка освоят профессию, восемь из них получат работу в сервисных центрах.",
        2_100_000,
        24,
    ),
]


def plan_texts(project: JuryProject) -> dict[str, str]:
    """The plain fields of an application, written in its language."""
    group, n = project.target_group[project.language], project.beneficiaries
    if project.language == "ru":
        return {
            "problem": f"{group} сталкиваются с барьерами при поиске работы и на рабочем месте.",
            "planned_activities": "Набор участников; обучение и наставничество; договорённости "
            "с работодателями; оценка результатов.",
            "expected_results": f"Поддержку получат {n} человек; результаты проверяются вместе "
            "с работодателями.",
            "timeline": "9 месяцев",
            "team": "Руководитель проекта, два специалиста, волонтёры.",
        }
    if project.language == "en":
        return {
            "problem": f"{group} face barriers to finding work and keeping it.",
            "planned_activities": "Recruiting participants; training and mentoring; agreements "
            "with employers; evaluating the results.",
            "expected_results": f"{n} people supported; results checked together with the "
            "employers.",
            "timeline": "9 months",
            "team": "A project manager, two specialists and volunteers.",
        }
    return {
        "problem": f"{group} жұмыс табуда және жұмыс орнында кедергілерге тап болады.",
        "planned_activities": "Қатысушыларды іріктеу; оқыту және тәлімгерлік; жұмыс "
        "берушілермен келісім; нәтижелерді бағалау.",
        "expected_results": f"{n} адам қолдау алады; нәтижелер жұмыс берушілермен бірге "
        "тексеріледі.",
        "timeline": "9 ай",
        "team": "Жоба жетекшісі, екі маман, еріктілер.",
    }


@dataclass(frozen=True)
class JuryExpert:
    local: str
    name: str
    language: str  # the language they use Baiqau in
    reads: tuple[str, ...]  # the languages they can review in
    tags: tuple[str, ...]
    expertise: str  # in their own words and language
    max_load: int
    role: str  # "chair", "member" (of the commission) or "expert"
    # The share of their assignments they have scored and submitted so far.
    diligence: float
    former_member_of: str = ""  # the key of an applicant organisation they once belonged to
    conflict_reason: str = ""  # declared on their first assignment


EXPERTS: list[JuryExpert] = [
    JuryExpert(
        "saule.bekturova",
        "Сәуле Бектұрова",
        "kk",
        ("kk", "ru"),
        (DISABILITY, EMPLOYMENT),
        "Он бес жыл мүгедектігі бар адамдарды жұмысқа орналастыру орталығын басқардым: "
        "квоталар, жұмыс орнын бейімдеу, жұмыс берушілермен келіссөз.",
        8,
        "chair",
        0.6,
    ),
    JuryExpert(
        "irina.volkova",
        "Ирина Волкова",
        "ru",
        ("ru", "kk"),
        (MENTAL_HEALTH, ELDERLY),
        "Клинический психолог, двенадцать лет в психосоциальной реабилитации: группы "
        "поддержки, возвращение к труду, работа с пожилыми людьми.",
        10,
        "member",
        0.5,
    ),
    JuryExpert(
        "daniyar.seitkali",
        "Данияр Сейтқали",
        "kk",
        ("kk", "ru", "en"),
        (CHILDREN, VOLUNTEERING, EMPLOYMENT),
        "Жастар саясаты, колледж түлектерін кәсіби бағдарлау және еріктілер қозғалысын үйлестіру.",
        10,
        "member",
        1.0,
    ),
    JuryExpert(
        "expert",
        "Helen Brooks",
        "en",
        ("en", "ru"),
        (EMPLOYMENT, DISABILITY),
        "Supported employment specialist: ten years of disability-inclusive hiring, job "
        "coaching and workplace adjustments with international organisations.",
        10,
        "expert",
        0.3,
    ),
    JuryExpert(
        "marat.akhmetov",
        "Марат Ахметов",
        "ru",
        ("ru", "kk"),
        (DISABILITY, EMPLOYMENT),
        "Юрист по трудовому праву и правам людей с инвалидностью: доступная среда, разумное "
        "приспособление рабочих мест.",
        10,
        "expert",
        0.5,
        former_member_of="kedergisiz",
    ),
    JuryExpert(
        "gulnar.ospanova",
        "Гүлнар Оспанова",
        "kk",
        ("kk", "ru"),
        (ELDERLY, VOLUNTEERING),
        "Қарт адамдарға әлеуметтік қызмет көрсету және еріктілерді үйлестіру; аға буын "
        "клубтарымен жұмыс.",
        10,
        "expert",
        0.4,
        conflict_reason="Бұл ұйымның директоры — менің жақын туысым.",
    ),
    JuryExpert(
        "aidana.kassymova",
        "Aidana Kassymova",
        "en",
        ("en", "kk", "ru"),
        (MENTAL_HEALTH, CHILDREN),
        "Child and adolescent psychologist: programmes from school to work for young people "
        "with autism and intellectual disabilities.",
        9,
        "expert",
        0.0,
    ),
    JuryExpert(
        "oleg.kim",
        "Олег Ким",
        "ru",
        ("ru", "en"),
        (EMPLOYMENT, VOLUNTEERING),
        "HR-директор, двадцать лет в подборе персонала: наставничество, корпоративное "
        "волонтёрство, инклюзивный найм.",
        10,
        "expert",
        0.8,
    ),
    JuryExpert(
        "baurzhan.yermekov",
        "Бауыржан Ермеков",
        "kk",
        ("kk", "ru"),
        (DISABILITY, EMPLOYMENT),
        "Әлеуметтік кәсіпкерлік және шағын бизнесті қаржыландыру; бизнес-жоспарлар мен "
        "бюджеттерді бағалау.",
        10,
        "expert",
        0.6,
    ),
]

# Overall comments for the applicant, in the expert's language.
COMMENTS: dict[str, list[str]] = {
    "kk": [
        "Жоба нақты мәселені шешеді; нәтиже көрсеткіштерін нақтылаған жөн.",
        "Бюджет негізделген, бірақ грант аяқталғаннан кейінгі жоспар әлсіз.",
        "Мүгедектігі бар адамдардың өздері жобаны басқаруға көбірек қатысса екен.",
    ],
    "ru": [
        "Проект решает реальную проблему; стоит уточнить показатели результата.",
        "Бюджет обоснован, но план после окончания гранта слабый.",
        "Хотелось бы больше участия самих людей с инвалидностью в управлении проектом.",
    ],
    "en": [
        "The project meets a real need; the result indicators should be more precise.",
        "The budget is justified, but the plan for after the grant is weak.",
        "People with disabilities themselves should have a larger part in running the project.",
    ],
}
