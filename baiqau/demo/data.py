"""The seed competition (see shared/seed/): organisers, call, applications and the commission.

The three winners, their projects, target groups and goals come from the news article. The
article does not name the third winner's organisation, nor the second winner's project title:
those, and every other organisation, person and project here, are invented for the demo.
BINs are invented too; each carries a valid check digit. Every e-mail address uses the
reserved `.example` domain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

ALMATY = ZoneInfo("Asia/Almaty")
BUDGET_ITEM = {"kk": "Жобаның іс-шаралары", "ru": "Мероприятия проекта", "en": "Project activities"}
CALL_SLUG = "almaty-social-projects"
DEMO_DOMAIN = "demo.baiqau.example"


def at(text: str) -> datetime:
    """An Almaty wall-clock time, as organisers write it."""
    return datetime.fromisoformat(text).replace(tzinfo=ALMATY)


@dataclass(frozen=True)
class Org:
    key: str
    bin11: str  # the first 11 digits; the check digit is computed
    org_type: str
    name: dict[str, str]
    city: str = "Алматы"


@dataclass(frozen=True)
class Project:
    org: str
    title: dict[str, str]
    target_group: dict[str, str]
    goal: dict[str, str]
    summary: dict[str, str] = field(default_factory=dict)
    language: str = "kk"
    beneficiaries: int = 50
    requested: int = 1_000_000
    # Typical scores the commission gives per criterion (social significance, feasibility,
    # sustainability); each expert's own judgement moves them (see loader).
    quality: tuple[float, float, float] = (6.0, 6.0, 6.0)


ORGANISERS = [
    Org(
        "party",
        "02014000312",
        "other",
        {
            "kk": "«Nur Otan» партиясының Алматы қалалық филиалы",
            "ru": "Алматинский городской филиал партии «Nur Otan»",
            "en": "Almaty city branch of the Nur Otan party",
        },
    ),
    Org(
        "akimat",
        "97114000201",
        "other",
        {
            "kk": "Алматы қаласының әкімдігі",
            "ru": "Акимат города Алматы",
            "en": "Akimat (administration) of Almaty",
        },
    ),
    Org(
        "department",
        "09034001587",
        "other",
        {
            "kk": "Алматы қаласының Жұмыспен қамту және әлеуметтік бағдарламалар басқармасы",
            "ru": "Управление занятости и социальных программ города Алматы",
            "en": "Almaty Department of Employment and Social Programmes",
        },
    ),
]

CALL: dict[str, Any] = {
    "title": {
        "kk": "Әлеуметтік бастамашылық жобалар байқауы",
        "ru": "Конкурс социальных инициативных проектов",
        "en": "Competition of social initiative projects",
    },
    "aim": {
        "kk": "Өмірдегі қиын жағдайға душар болған жандарға көрсетілетін қызметтің өзекті "
        "әлеуметтік мәселесін шешуге бағытталған бастамашылық жобаларды қолдау.",
        "ru": "Поддержка инициативных проектов, решающих актуальную социальную проблему в "
        "услугах для людей, оказавшихся в трудной жизненной ситуации.",
        "en": "To support initiative projects that address a pressing social problem in the "
        "services provided to people who have found themselves in a difficult life situation.",
    },
    "description": {
        "kk": "Байқауға үкіметтік емес ұйымдар, мүгедектер ұйымдары және халықты әлеуметтік "
        "қорғау жүйесін дамытуға бағытталған басқа да мекемелер қатыса алады. Жобаларды "
        "сараптамалық комиссия үш өлшем бойынша бағалайды. Үш жүлделі орын беріледі.",
        "ru": "В конкурсе могут участвовать неправительственные организации, организации "
        "инвалидов и другие учреждения, работающие над развитием системы социальной защиты. "
        "Проекты оценивает экспертная комиссия по трём критериям. Присуждаются три призовых места.",
        "en": "Non-governmental organisations, organisations of persons with disabilities and "
        "other institutions working to develop the social protection system may take part. An "
        "expert commission scores the projects by three criteria. Three prize places are awarded.",
    },
    "opens_at": at("2021-09-01T09:00"),
    "closes_at": at("2021-10-01T18:00"),
    "review_ends_at": at("2021-10-20T18:00"),
    "results_at": at("2021-10-28T12:00"),
    "prizes": [1_000_000, 700_000, 500_000],
    "eligible_org_types": ["ngo", "dpo", "state_social", "other"],
}

CRITERIA: list[dict[str, Any]] = [
    {
        "name": {
            "kk": "Әлеуметтік маңыздылығы мен өзектілігі",
            "ru": "Социальная значимость и актуальность",
            "en": "Social significance and relevance",
        },
        "description": {
            "kk": "Жоба қиын өмірлік жағдайдағы адамдардың нақты мәселесін шеше ме?",
            "ru": "Решает ли проект реальную проблему людей в трудной жизненной ситуации?",
            "en": "Does the project solve a real problem of people in a difficult life situation?",
        },
        "weight": Decimal(40),
    },
    {
        "name": {
            "kk": "Жүзеге асырылуы және команданың әлеуеті",
            "ru": "Реализуемость и потенциал команды",
            "en": "Feasibility and team capacity",
        },
        "description": {
            "kk": "Жоспар, бюджет және команда жобаны орындауға жеткілікті ме?",
            "ru": "Достаточны ли план, бюджет и команда для выполнения проекта?",
            "en": "Are the plan, the budget and the team sufficient to deliver the project?",
        },
        "weight": Decimal(30),
    },
    {
        "name": {
            "kk": "Тұрақтылығы және алушыларға нәтижесі",
            "ru": "Устойчивость и результаты для благополучателей",
            "en": "Sustainability and results for beneficiaries",
        },
        "description": {
            "kk": "Жоба аяқталғаннан кейін де нәтижесі сақтала ма?",
            "ru": "Сохранятся ли результаты после окончания проекта?",
            "en": "Will the results last after the project ends?",
        },
        "weight": Decimal(30),
    },
]

# Published with the call before scoring: part of the seed of any draw by lot.
LOTTERY_VALUE = "almaty-social-projects 2021-08-30 a3f9c1d2e7b84650"

# The commission: invented people. Severity is how far each tends to score from the panel.
EXPERTS = [
    ("chair", "Айгерім Бекова", 0.0, True),
    ("expert2", "Нұрлан Сәрсенов", -0.6, False),
    ("expert3", "Елена Ким", 0.4, False),
    ("expert4", "Ғалым Омаров", -0.3, False),
    ("expert5", "Динара Жұмабаева", 0.2, False),
    ("expert6", "Сергей Петренко", -0.8, False),
    ("expert7", "Мәдина Әлиева", 0.5, False),
]

APPLICANTS = [
    Org(
        "centre1",
        "03094002216",
        "state_social",
        {
            "kk": "«№1 Арнаулы әлеуметтік қызметтер көрсету орталығы» КММ",
            "ru": "КГУ «Центр оказания специальных социальных услуг №1»",
            "en": "Centre for Special Social Services No. 1 (communal state institution)",
        },
    ),
    Org(
        "elnazy",
        "12044011852",
        "ngo",
        {
            "kk": "«Ел-Назы» арт-терапияны дамыту орталығы",
            "ru": "Центр развития арт-терапии «Эль-Назы»",
            "en": "El-Nazy Art Therapy Development Centre",
        },
    ),
    Org(
        "volunteers",
        "15064007731",
        "ngo",
        {
            "kk": "«Жарқын жол» еріктілер орталығы қоғамдық бірлестігі",
            "ru": "Общественное объединение «Волонтёрский центр „Жаркын жол“»",
            "en": "Zharkyn Zhol Volunteer Centre (public association)",
        },
    ),
    Org(
        "qamqor",
        "11024003365",
        "ngo",
        {
            "kk": "«Қамқор қол» қоғамдық қоры",
            "ru": "Общественный фонд «Камкор кол»",
            "en": "Qamqor Qol Public Foundation",
        },
    ),
    Org(
        "zharyq",
        "05114009248",
        "dpo",
        {
            "kk": "«Жарық әлем» көру қабілеті бұзылған адамдар бірлестігі",
            "ru": "Объединение людей с нарушениями зрения «Жарык алем»",
            "en": "Zharyq Alem Association of People with Visual Impairments",
        },
    ),
    Org(
        "baqytty",
        "16034012276",
        "ngo",
        {
            "kk": "«Бақытты отбасы» дағдарыс орталығы",
            "ru": "Кризисный центр «Бакытты отбасы»",
            "en": "Baqytty Otbasy Crisis Centre",
        },
    ),
    Org(
        "erekshe",
        "14084005519",
        "dpo",
        {
            "kk": "«Ерекше бала» аутизмі бар балалардың ата-аналары бірлестігі",
            "ru": "Объединение родителей детей с аутизмом «Ерекше бала»",
            "en": "Erekshe Bala Association of Parents of Children with Autism",
        },
    ),
    Org(
        "adaptation",
        "06024004480",
        "state_social",
        {
            "kk": "«Әлеуметтік бейімдеу орталығы» КММ",
            "ru": "КГУ «Центр социальной адаптации»",
            "en": "Social Adaptation Centre (communal state institution)",
        },
    ),
    Org(
        "kopir",
        "18014016637",
        "ngo",
        {
            "kk": "«Өмір көпірі» қоғамдық бірлестігі",
            "ru": "Общественное объединение «Омир копiрi»",
            "en": "Omir Kopiri (Bridge of Life) Public Association",
        },
    ),
    Org(
        "ym",
        "08074006693",
        "dpo",
        {
            "kk": "«Ым тілі» естімейтін адамдар қоғамы",
            "ru": "Общество глухих «Ым тiлi»",
            "en": "Ym Tili Society of Deaf People",
        },
    ),
    Org(
        "silver",
        "19104021108",
        "ngo",
        {
            "kk": "«Белсенді ұзақ өмір» қоғамдық бірлестігі",
            "ru": "Общественное объединение «Активное долголетие»",
            "en": "Active Longevity Public Association",
        },
    ),
    Org(
        "senim",
        "13054010024",
        "ngo",
        {
            "kk": "«Сенім» оңалту қоры",
            "ru": "Реабилитационный фонд «Сенiм»",
            "en": "Senim Rehabilitation Foundation",
        },
    ),
    Org(
        "mumkindik",
        "10124008842",
        "dpo",
        {
            "kk": "«Мүмкіндік» арбамен жүретін адамдар бірлестігі",
            "ru": "Объединение людей на колясках «Мумкиндик»",
            "en": "Mumkindik Association of Wheelchair Users",
        },
    ),
    Org(
        "sheber",
        "17094019950",
        "other",
        {
            "kk": "«Шебер қолдар» әлеуметтік кәсіпорны ЖШС",
            "ru": "ТОО «Социальное предприятие «Шебер колдар»",
            "en": "Sheber Qoldar Social Enterprise LLP",
        },
    ),
    Org(
        "zhasana",
        "20024003317",
        "ngo",
        {
            "kk": "«Жас ана» қоғамдық бірлестігі",
            "ru": "Общественное объединение «Жас ана»",
            "en": "Zhas Ana (Young Mother) Public Association",
        },
    ),
]

PROJECTS = [
    Project(
        "centre1",
        title={
            "kk": "Өз бетімен өмір сүруге арналған үй",
            "ru": "Дом для самостоятельного проживания",
            "en": "House for Independent Living",
        },
        target_group={
            "kk": "18 жастан асқан психоневрологиялық аурулары бар адамдар",
            "ru": "Люди старше 18 лет с психоневрологическими заболеваниями",
            "en": "Adults over 18 with psychoneurological conditions",
        },
        goal={
            "kk": "18 жастан асқан психоневрологиялық аурулары бар адамдарды өз бетінше өмір "
            "сүруге дайындау.",
            "ru": "Подготовить людей старше 18 лет с психоневрологическими заболеваниями к "
            "самостоятельной жизни.",
            "en": "To prepare people over 18 with psychoneurological conditions for independent "
            "living.",
        },
        summary={
            "kk": "Жоба әр қызмет алушының оңалту әлеуетін бағалауды, өз бетімен өмір сүруге "
            "арналған шағын үйлердің сыйымдылығын дамытуды және алушылардың өз отбасымен бірге "
            "дербес өмір сүруіне мүмкіндік жасауды көздейді.",
            "ru": "Проект предусматривает оценку реабилитационного потенциала каждого получателя "
            "услуг, развитие малых домов для самостоятельного проживания и создание условий, "
            "чтобы получатели могли жить самостоятельно вместе со своими семьями.",
            "en": "The project assesses each service recipient's potential for rehabilitation, "
            "develops the capacity of small houses for independent living, and enables "
            "recipients to live on their own with their families.",
        },
        beneficiaries=24,
        requested=1_000_000,
        quality=(9.3, 8.9, 9.1),
    ),
    Project(
        "elnazy",
        language="ru",
        title={
            "kk": "Мүмкіндігі шектеулі балалары бар отбасыларға арналған арт-терапия",
            "ru": "Арт-терапия для семей, воспитывающих детей с инвалидностью",
            "en": "Art therapy for families raising children with disabilities",
        },
        target_group={
            "kk": "Мүмкіндігі шектеулі балаларды тәрбиелеп отырған отбасылар және мүгедектігі "
            "бар мүшесі бар отбасылар",
            "ru": "Семьи, воспитывающие детей с инвалидностью, и семьи, в которых есть член "
            "семьи с инвалидностью",
            "en": "Families raising children with disabilities and families with a member with "
            "a disability",
        },
        goal={
            "kk": "Балалардың шығармашылық қабілетін дамыту, жастардың әлеуметтік-психологиялық "
            "бейімделуі, белсенділігі мен білім алуы, мүгедектігі бар адамдарды жұмыспен қамту "
            "және олардың құқықтарын қорғау.",
            "ru": "Развитие творческих способностей детей, социально-психологическая адаптация "
            "молодёжи, её активность и образование, трудоустройство людей с инвалидностью и "
            "защита их прав.",
            "en": "Developing children's creative abilities, the social and psychological "
            "adaptation of young people, their activity and education, employment of persons "
            "with disabilities, and the protection of their rights.",
        },
        beneficiaries=120,
        requested=700_000,
        quality=(8.8, 8.7, 8.4),
    ),
    Project(
        "volunteers",
        title={
            "kk": "Еріктілер қозғалысы өмірді өзгертеді!",
            "ru": "Волонтёрское движение меняет жизнь!",
            "en": "The volunteer movement changes lives!",
        },
        target_group={
            "kk": "Еріктілер және олар көмектесетін жалғызбасты қарттар мен мүгедектігі бар "
            "адамдар",
            "ru": "Волонтёры и одинокие пожилые люди и люди с инвалидностью, которым они помогают",
            "en": "Volunteers and the older people living alone and people with disabilities "
            "they help",
        },
        goal={
            "kk": "Еріктілікті дамыту арқылы азаматтық қоғамның қалыптасуына ықпал ету және "
            "коммерциялық емес, қоғамдық ұйымдардың рөлін арттыру.",
            "ru": "Развивая добровольчество, содействовать формированию гражданского общества и "
            "повышать роль некоммерческих и общественных организаций.",
            "en": "By developing volunteering, to help civil society form and to raise the role "
            "of non-commercial and public organisations.",
        },
        beneficiaries=300,
        requested=500_000,
        quality=(8.4, 8.3, 8.2),
    ),
]


def _p(
    org: str,
    quality: tuple[float, float, float],
    requested: int,
    people: int,
    lang: str,
    title: tuple[str, str, str],
    group: tuple[str, str, str],
    goal: tuple[str, str, str],
) -> Project:
    def three(values: tuple[str, str, str]) -> dict[str, str]:
        return dict(zip(("kk", "ru", "en"), values, strict=True))

    return Project(
        org,
        three(title),
        three(group),
        three(goal),
        language=lang,
        beneficiaries=people,
        requested=requested,
        quality=quality,
    )


PROJECTS += [
    _p(
        "qamqor",
        (7.6, 7.2, 6.9),
        900_000,
        60,
        "kk",
        (
            "Жалғызбасты қарттарға үйде күтім",
            "Уход на дому за одинокими пожилыми людьми",
            "Home care for older people living alone",
        ),
        (
            "Көмексіз қалған жалғызбасты қарттар",
            "Одинокие пожилые люди, оставшиеся без помощи",
            "Older people living alone without help",
        ),
        (
            "Қарттардың өз үйінде қауіпсіз әрі лайықты өмір сүруін қамтамасыз ету.",
            "Обеспечить пожилым людям безопасную и достойную жизнь в собственном доме.",
            "To let older people live safely and with dignity in their own homes.",
        ),
    ),
    _p(
        "zharyq",
        (7.4, 7.0, 7.3),
        800_000,
        45,
        "ru",
        (
            "Аудиокітапхана және зағип жастарға арналған IT дағдылары",
            "Аудиобиблиотека и IT-навыки для незрячей молодёжи",
            "An audio library and IT skills for blind young people",
        ),
        (
            "Көру қабілеті бұзылған 16–29 жастағы жастар",
            "Молодые люди 16–29 лет с нарушениями зрения",
            "Young people aged 16–29 with visual impairments",
        ),
        (
            "Зағип жастардың білім алуына және жұмысқа орналасуына жол ашу.",
            "Открыть незрячей молодёжи путь к образованию и работе.",
            "To open the way to education and work for blind young people.",
        ),
    ),
    _p(
        "baqytty",
        (7.8, 6.8, 6.6),
        1_000_000,
        80,
        "kk",
        (
            "Балалы әйелдерге дағдарыстық көмек",
            "Кризисная помощь женщинам с детьми",
            "Crisis support for women with children",
        ),
        (
            "Зорлық-зомбылықтан зардап шеккен балалы әйелдер",
            "Женщины с детьми, пострадавшие от насилия",
            "Women with children who have suffered violence",
        ),
        (
            "Уақытша баспана, психологиялық және заңгерлік көмек беру.",
            "Дать временное жильё, психологическую и юридическую помощь.",
            "To provide temporary shelter, psychological and legal help.",
        ),
    ),
    _p(
        "erekshe",
        (7.2, 7.1, 6.4),
        650_000,
        40,
        "ru",
        ("Инклюзивті жазғы лагерь", "Инклюзивный летний лагерь", "An inclusive summer camp"),
        (
            "Аутизм спектрі бұзылыстары бар балалар және олардың бауырлары",
            "Дети с расстройствами аутистического спектра и их братья и сёстры",
            "Children with autism spectrum disorders and their siblings",
        ),
        (
            "Балалардың әлеуметтік дағдыларын дамыту және ата-аналарға демалыс беру.",
            "Развить социальные навыки детей и дать родителям передышку.",
            "To develop children's social skills and give parents respite.",
        ),
    ),
    _p(
        "adaptation",
        (6.9, 7.0, 6.2),
        750_000,
        35,
        "ru",
        ("Жұмысқа қайта оралу", "Возвращение к работе", "Back to work"),
        (
            "Баспанасыз қалған адамдар",
            "Люди, оставшиеся без жилья",
            "People who have lost their homes",
        ),
        (
            "Кәсіби оқыту мен жұмысқа орналастыру арқылы тұрақты табысқа қол жеткізу.",
            "Через обучение профессии и трудоустройство добиться стабильного дохода.",
            "To reach a stable income through vocational training and job placement.",
        ),
    ),
    _p(
        "kopir",
        (7.0, 6.5, 6.8),
        600_000,
        30,
        "kk",
        (
            "Балалар үйі түлектеріне тәлімгерлік",
            "Наставничество для выпускников детских домов",
            "Mentoring for young people leaving children's homes",
        ),
        (
            "18–23 жастағы балалар үйінің түлектері",
            "Выпускники детских домов 18–23 лет",
            "Care leavers aged 18–23",
        ),
        (
            "Түлектердің дербес өмірге бейімделуіне көмектесу.",
            "Помочь выпускникам адаптироваться к самостоятельной жизни.",
            "To help care leavers adapt to independent life.",
        ),
    ),
    _p(
        "ym",
        (6.6, 6.4, 6.0),
        550_000,
        200,
        "kk",
        (
            "Мемлекеттік қызметтерде ымдау тілінің аудармасы",
            "Сурдоперевод в государственных услугах",
            "Sign-language interpreting in public services",
        ),
        (
            "Есту қабілеті бұзылған адамдар",
            "Люди с нарушениями слуха",
            "People with hearing impairments",
        ),
        (
            "Естімейтін адамдардың мемлекеттік қызметтерді тең алуын қамтамасыз ету.",
            "Обеспечить глухим людям равный доступ к государственным услугам.",
            "To give deaf people equal access to public services.",
        ),
    ),
    _p(
        "silver",
        (6.2, 6.6, 5.9),
        400_000,
        150,
        "ru",
        (
            "Күміс университет: қарттарға цифрлық сауаттылық",
            "Серебряный университет: цифровая грамотность для пожилых",
            "Silver University: digital literacy for older people",
        ),
        ("60 жастан асқан адамдар", "Люди старше 60 лет", "People over 60"),
        (
            "Қарттарға онлайн қызметтерді пайдалануды үйрету.",
            "Научить пожилых людей пользоваться онлайн-услугами.",
            "To teach older people to use online services.",
        ),
    ),
    _p(
        "senim",
        (6.4, 5.8, 5.6),
        850_000,
        25,
        "ru",
        (
            "Тәуелділіктен кейінгі оңалту: өзара қолдау топтары",
            "Реабилитация после зависимости: группы взаимной поддержки",
            "Recovery after addiction: peer support groups",
        ),
        (
            "Тәуелділіктен емделу курсынан өткен адамдар",
            "Люди, прошедшие лечение от зависимости",
            "People who have completed treatment for addiction",
        ),
        (
            "Қайта тәуелділікке түсудің алдын алу және қоғамға оралу.",
            "Предотвратить срыв и помочь вернуться в общество.",
            "To prevent relapse and help people return to society.",
        ),
    ),
    _p(
        "mumkindik",
        (6.8, 5.6, 5.8),
        950_000,
        500,
        "kk",
        (
            "Қолжетімді қала: пандустар мен көлікті тексеру",
            "Доступный город: аудит пандусов и транспорта",
            "An accessible city: auditing ramps and transport",
        ),
        (
            "Арбамен жүретін адамдар және балалар арбасы бар ата-аналар",
            "Люди на колясках и родители с детскими колясками",
            "Wheelchair users and parents with prams",
        ),
        (
            "Қала инфрақұрылымындағы кедергілерді анықтап, жою бойынша ұсыныстар беру.",
            "Выявить барьеры городской среды и предложить, как их устранить.",
            "To find the barriers in the city and propose how to remove them.",
        ),
    ),
    _p(
        "sheber",
        (5.8, 6.2, 6.0),
        700_000,
        12,
        "ru",
        (
            "Мүгедектігі бар әйелдерге арналған тігін шеберханасы",
            "Швейная мастерская для женщин с инвалидностью",
            "A sewing workshop for women with disabilities",
        ),
        ("Мүгедектігі бар әйелдер", "Женщины с инвалидностью", "Women with disabilities"),
        (
            "Тұрақты жұмыс орындарын ашу.",
            "Создать постоянные рабочие места.",
            "To create permanent jobs.",
        ),
    ),
    _p(
        "zhasana",
        (6.0, 5.5, 5.2),
        500_000,
        40,
        "kk",
        ("Жас аналарға қолдау", "Поддержка молодых мам", "Support for young mothers"),
        (
            "Қиын өмірлік жағдайдағы жас аналар",
            "Молодые мамы в трудной жизненной ситуации",
            "Young mothers in a difficult life situation",
        ),
        (
            "Баланы тастап кетудің алдын алу және отбасын сақтау.",
            "Предотвратить отказ от ребёнка и сохранить семью.",
            "To prevent child abandonment and keep families together.",
        ),
    ),
]


# The rest of each application, written in its own language: short, but complete enough to
# pass the same checks a real submission does.
def plan_texts(project: Project) -> dict[str, str]:
    group = project.target_group[project.language]
    if project.language == "ru":
        return {
            "problem": f"{group} не получают нужной поддержки в городе.",
            "planned_activities": "Подготовка команды; работа с участниками; итоговая встреча.",
            "expected_results": f"Поддержку получат {project.beneficiaries} человек.",
            "timeline": "6 месяцев",
            "team": "Руководитель проекта, два специалиста, волонтёры.",
        }
    return {
        "problem": f"{group} қалада қажетті қолдауды жеткілікті ала алмайды.",
        "planned_activities": "Команданы дайындау; қатысушылармен жұмыс; қорытынды кездесу.",
        "expected_results": f"{project.beneficiaries} адам қолдау алады.",
        "timeline": "6 ай",
        "team": "Жоба жетекшісі, екі маман, еріктілер.",
    }


# A second call, open from the day the demo is loaded, so a newcomer can apply.
OPEN_CALL_SLUG = "inclusive-almaty-grants"
OPEN_CALL: dict[str, Any] = {
    "title": {
        "kk": "Инклюзивті Алматы: әлеуметтік жобаларға гранттар",
        "ru": "Инклюзивная Алматы: гранты социальным проектам",
        "en": "Inclusive Almaty: grants for social projects",
    },
    "aim": {
        "kk": "Мүгедектігі бар адамдардың қала өміріне толық қатысуына көмектесетін жобаларды "
        "қолдау.",
        "ru": "Поддержать проекты, которые помогают людям с инвалидностью полноценно участвовать "
        "в жизни города.",
        "en": "To support projects that help people with disabilities take a full part in the "
        "life of the city.",
    },
    "description": {
        "kk": "Үкіметтік емес ұйымдар мен мүгедектігі бар адамдардың ұйымдары өтінім бере алады. "
        "Грант қоры 10 000 000 ₸, бір жобаға ең көбі 2 000 000 ₸.",
        "ru": "Подать заявку могут неправительственные организации и организации лиц с "
        "инвалидностью. Грантовый фонд 10 000 000 ₸, не более 2 000 000 ₸ на проект.",
        "en": "Non-governmental organisations and organisations of persons with disabilities may "
        "apply. The grant pool is 10 000 000 ₸, at most 2 000 000 ₸ per project.",
    },
    "pool_amount": 10_000_000,
    "max_per_project": 2_000_000,
    "eligible_org_types": ["ngo", "dpo"],
}

DISTRICTS = [
    ("almaly", "Алмалы ауданы", "Алмалинский район", "Almaly district"),
    ("auezov", "Әуезов ауданы", "Ауэзовский район", "Auezov district"),
    ("bostandyk", "Бостандық ауданы", "Бостандыкский район", "Bostandyk district"),
    ("zhetysu", "Жетісу ауданы", "Жетысуский район", "Zhetysu district"),
    ("medeu", "Медеу ауданы", "Медеуский район", "Medeu district"),
    ("nauryzbay", "Наурызбай ауданы", "Наурызбайский район", "Nauryzbay district"),
    ("turksib", "Түрксіб ауданы", "Турксибский район", "Turksib district"),
    ("alatau", "Алатау ауданы", "Алатауский район", "Alatau district"),
]
GROUPS = [
    ("children", "Мүгедектігі бар балалар", "Дети с инвалидностью", "Children with disabilities"),
    ("adults", "Мүгедектігі бар ересектер", "Взрослые с инвалидностью", "Adults with disabilities"),
    ("elderly", "Егде адамдар", "Пожилые люди", "Older people"),
    ("families", "Қиын жағдайдағы отбасылар", "Семьи в трудной ситуации", "Families in difficulty"),
]


def _choices(rows: list[tuple[str, str, str, str]]) -> list[dict[str, str]]:
    return [{"value": v, "kk": kk, "ru": ru, "en": en} for v, kk, ru, en in rows]


QUESTIONS: list[dict[str, Any]] = [
    {
        "kind": "short_text",
        "required": True,
        "label": {
            "kk": "Жоба жетекшісінің аты-жөні",
            "ru": "ФИО руководителя проекта",
            "en": "Name of the project manager",
        },
    },
    {
        "kind": "long_text",
        "required": True,
        "max_length": 1000,
        "label": {
            "kk": "Мүгедектігі бар адамдар жобаны жоспарлауға қалай қатысады?",
            "ru": "Как люди с инвалидностью участвуют в планировании проекта?",
            "en": "How do people with disabilities take part in planning the project?",
        },
        "help": {
            "kk": "1000 таңбадан аспасын.",
            "ru": "Не более 1000 знаков.",
            "en": "At most 1,000 characters.",
        },
    },
    {
        "kind": "number",
        "required": True,
        "label": {
            "kk": "Ұйым мақсатты топпен неше жыл жұмыс істейді?",
            "ru": "Сколько лет организация работает с целевой группой?",
            "en": "How many years has the organisation worked with the target group?",
        },
    },
    {
        "kind": "single_choice",
        "required": True,
        "label": {
            "kk": "Жоба қай ауданда өтеді?",
            "ru": "В каком районе пройдёт проект?",
            "en": "In which district will the project take place?",
        },
        "choices": _choices(DISTRICTS),
    },
    {
        "kind": "multiple_choice",
        "required": False,
        "label": {
            "kk": "Жоба қай топтарға қызмет етеді?",
            "ru": "Каким группам служит проект?",
            "en": "Which groups does the project serve?",
        },
        "choices": _choices(GROUPS),
    },
    {
        "kind": "date",
        "required": True,
        "label": {
            "kk": "Жоспарланған басталу күні",
            "ru": "Планируемая дата начала",
            "en": "Planned start date",
        },
    },
    {
        "kind": "yes_no",
        "required": True,
        "label": {
            "kk": "Бұл жобаға бұрын мемлекеттік қаржы алдыңыз ба?",
            "ru": "Получали ли вы раньше государственное финансирование на этот проект?",
            "en": "Have you received state funding for this project before?",
        },
    },
    {
        "kind": "file",
        "required": True,
        "label": {
            "kk": "Серіктестің қолдау хаты",
            "ru": "Письмо поддержки от партнёра",
            "en": "Letter of support from a partner",
        },
        "help": {
            "kk": "PDF, DOCX немесе сурет.",
            "ru": "PDF, DOCX или изображение.",
            "en": "PDF, DOCX or an image.",
        },
    },
]
