"""After the seed contest: its three winners' agreements, prizes paid and final reports.

Replayed through the monitoring services at 2021–2022 dates, like the rest of the demo: the
organiser drafts and offers each agreement, the organisation's owner accepts it, the prize is
approved and paid in one payment, the organisation writes and submits its final report, the
organiser accepts it and closes the agreement. The figures are invented but plausible, so
that the impact view and the open data have something real-looking to show. Beneficiaries
are counts by category, as the report form takes them: never people.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from baiqau.applications.models import Application, ApplicationStatus
from baiqau.calls.models import Call
from baiqau.core import clock
from baiqau.domain.identifiers import make_bin
from baiqau.domain.money import format_tenge
from baiqau.monitoring.models import Agreement, ReportKind
from baiqau.monitoring.services import (
    IndicatorSpec,
    ReportSpec,
    TrancheSpec,
    agreement_accept,
    agreement_close,
    agreement_create,
    agreement_offer,
    agreement_update,
    report_accept,
    report_save_draft,
    report_submit,
    tranche_approve,
    tranche_pay,
)

from . import data

# (age group, sex, with a disability, disability group, number of people)
Row = tuple[str, str, bool, str, int]


@dataclass(frozen=True)
class Outcome:
    """One winner's agreement and final report, in the project's language."""

    org: str  # the key of the organisation in data.APPLICANTS
    indicators: tuple[tuple[str, str, int, int], ...]  # name, unit, target, value reached
    done: str
    changed: str
    difficulties: str
    beneficiaries: tuple[Row, ...]
    spent: int
    explanation: str
    payment: str  # the payment order's reference
    day: int  # the winners' steps are a day apart, in the order of the places


OUTCOMES = (
    Outcome(
        org="centre1",
        indicators=(
            ("Жобамен қамтылған адамдар", "адам", 24, 24),
            ("Сүйемелдеумен өз бетімен тұруға көшкен ересектер", "адам", 8, 6),
            ("Оңалту әлеуеті бағаланған қызмет алушылар", "адам", 24, 24),
        ),
        done=(
            "Орталықтың 24 қызмет алушысының оңалту әлеуеті бағаланды: психолог, әлеуметтік "
            "қызметкер және еңбек нұсқаушысы әрқайсысына жеке бағдарлама құрды. Сыйлық "
            "қаражатына өз бетімен тұруға арналған екі шағын үй жабдықталды (жиһаз, тұрмыстық "
            "техника, ас үй жабдықтары). Тұрғындар апта сайын тамақ әзірлеуге, ақшаны "
            "жоспарлауға, қоғамдық көлікті пайдалануға және дүкенге баруға үйренді. Қызмет "
            "алушылардың отбасыларына 12 кеңес өткізілді."
        ),
        changed=(
            "Дайындықтан өткен сегіз ересектің алтауы сүйемелдеумен өз бетімен тұруға көшті: "
            "төртеуі орталықтың шағын үйлерінде, екеуі өз отбасыларымен бірге тұрады. Олар күн "
            "тәртібін өздері жоспарлайды, екеуі жұмысқа орналасты. Қалған қызмет алушылар "
            "дайындық бағдарламасын жалғастыруда."
        ),
        difficulties=(
            "Екі қатысушының денсаулығы нашарлап, олардың көшуі 2022 жылдың күзіне шегерілді. "
            "Тұрмыстық техника қымбаттағандықтан, кейбір жабдықты демеушілердің көмегімен алдық."
        ),
        beneficiaries=(
            ("18-34", "f", True, "2", 5),
            ("18-34", "m", True, "2", 6),
            ("18-34", "m", True, "3", 2),
            ("35-62", "f", True, "2", 4),
            ("35-62", "f", True, "3", 3),
            ("35-62", "m", True, "1", 1),
            ("35-62", "m", True, "2", 3),
        ),
        spent=1_000_000,
        explanation="",
        payment="ПП № 1457",
        day=0,
    ),
    Outcome(
        org="elnazy",
        indicators=(
            ("Охвачено проектом человек", "человек", 120, 131),
            ("Семьи, прошедшие курс арт-терапии", "семей", 40, 43),
            ("Дети с инвалидностью, регулярно посещавшие занятия", "детей", 45, 48),
        ),
        done=(
            "С декабря 2021 по май 2022 года проведено 96 групповых занятий арт-терапии "
            "(рисование, лепка, песочная терапия) и 140 индивидуальных консультаций психолога. "
            "Курс прошли 43 семьи, воспитывающие детей с инвалидностью. Для родителей работала "
            "группа поддержки (18 встреч), в апреле в городской библиотеке прошла выставка "
            "детских работ."
        ),
        changed=(
            "По оценке психолога, у детей снизилась тревожность и улучшились навыки общения: "
            "31 ребёнок начал посещать кружки и секции вне центра. Родители говорят, что "
            "получили поддержку и время для себя; 9 матерей вернулись к работе или учёбе. Пять "
            "молодых людей с инвалидностью прошли обучение и помогают педагогам на занятиях "
            "с младшими."
        ),
        difficulties=(
            "В январе 2022 года занятия на две недели перешли в онлайн-формат. Часть семей "
            "живёт на окраинах города, поэтому детям, передвигающимся на колясках, мы "
            "оплачивали такси."
        ),
        beneficiaries=(
            ("0-17", "f", True, "child", 20),
            ("0-17", "m", True, "child", 28),
            ("0-17", "f", False, "", 9),
            ("0-17", "m", False, "", 7),
            ("18-34", "f", False, "", 15),
            ("18-34", "m", True, "3", 5),
            ("35-62", "f", False, "", 38),
            ("35-62", "m", False, "", 9),
        ),
        spent=694_500,
        explanation=(
            "Часть материалов для занятий безвозмездно передала городская библиотека; "
            "остаток 5 500 ₸ пойдёт на осеннюю выставку детских работ."
        ),
        payment="ПП № 1458",
        day=1,
    ),
    Outcome(
        org="volunteers",
        indicators=(
            ("Жобамен қамтылған адамдар", "адам", 300, 222),
            ("Оқытылған еріктілер", "адам", 60, 64),
            (
                "Үйде тұрақты көмек алған жалғызбасты қарттар мен мүгедектігі бар адамдар",
                "адам",
                150,
                158,
            ),
        ),
        done=(
            "64 ерікті оқытылды: алғашқы көмек, қарт адамдармен және мүгедектігі бар адамдармен "
            "қарым-қатынас, қауіпсіздік ережелері. Еріктілер жалғызбасты қарттар мен "
            "мүгедектігі бар адамдарға үйде көмектесті: азық-түлік пен дәрі-дәрмек жеткізді, "
            "үй жинады, дәрігерге ертіп барды. Барлығы 2 100-ден астам сапар жасалды."
        ),
        changed=(
            "158 жалғызбасты қарт пен мүгедектігі бар адам тұрақты көмек алды, олардың көбі "
            "өзін жалғыз сезінбейтінін айтады. 21 ерікті аудандық әлеуметтік қызметтермен бірге "
            "жұмысын жалғастыруда, екі мектепте еріктілер клубы ашылды."
        ),
        difficulties=(
            "Жазда студент-еріктілердің бір бөлігі қаладан кетіп, сапарлар кестесін қайта құруға "
            "тура келді; сондықтан жоспарланған 300 адамның 222-сін ғана қамтыдық. Жол жүру "
            "шығыны жоспардан көп болды."
        ),
        beneficiaries=(
            ("0-17", "f", False, "", 8),
            ("0-17", "m", False, "", 5),
            ("18-34", "f", False, "", 31),
            ("18-34", "m", False, "", 20),
            ("18-34", "f", True, "3", 9),
            ("18-34", "m", True, "1", 6),
            ("35-62", "f", True, "2", 14),
            ("35-62", "m", True, "3", 11),
            ("63+", "f", False, "", 62),
            ("63+", "m", False, "", 27),
            ("63+", "f", True, "2", 21),
            ("63+", "m", True, "1", 8),
        ),
        spent=512_300,
        explanation=(
            "Еріктілердің жол жүру шығыны жоспардан асты; 12 300 ₸ айырманы ұйым өз "
            "қаражатынан төледі."
        ),
        payment="ПП № 1459",
        day=2,
    ),
)

FINAL_REPORT_DUE = date(2022, 6, 15)
PAID_ON = date(2021, 11, 26)


def load_monitoring(call: Call, organiser: Any, log: Callable[[str], None]) -> list[Agreement]:
    """Agreements, payments and accepted final reports for the winners of published results."""
    winners = {
        a.organisation.bin: a
        for a in Application.objects.filter(call=call, status=ApplicationStatus.AWARDED)
        .select_related("organisation", "created_by")
        .prefetch_related("budget_lines")
    }
    bins = {org.key: make_bin(org.bin11) for org in data.APPLICANTS}
    agreements = [_follow(winners[bins[outcome.org]], organiser, outcome) for outcome in OUTCOMES]
    paid = sum(a.amount for a in agreements)
    people = sum(count for o in OUTCOMES for *_category, count in o.beneficiaries)
    log(
        f"{len(agreements)} agreements accepted, {format_tenge(paid)} paid, final reports on "
        f"{people} beneficiaries accepted."
    )
    return agreements


def _follow(application: Application, organiser: Any, outcome: Outcome) -> Agreement:
    owner = application.created_by
    language = application.language
    day = timedelta(days=outcome.day)
    with clock.replay(data.at("2021-11-08T10:00") + timedelta(minutes=30 * outcome.day)):
        agreement = agreement_create(actor=organiser, application=application)
        agreement = agreement_update(
            actor=organiser,
            agreement=agreement,
            purpose=getattr(application, f"goal_{language}"),
            summary_public=getattr(application, f"summary_{language}")
            or getattr(application, f"goal_{language}"),
            indicators=[
                IndicatorSpec(name, unit, Decimal(0), Decimal(target))
                for name, unit, target, _value in outcome.indicators
            ],
            reports=[ReportSpec(ReportKind.FINAL, FINAL_REPORT_DUE)],
            tranches=[TrancheSpec(agreement.amount, PAID_ON)],
        )
        agreement = agreement_offer(actor=organiser, agreement=agreement)
    with clock.replay(data.at("2021-11-10T15:00") + day):
        agreement = agreement_accept(actor=owner, agreement=agreement)
    tranche = agreement.tranches.get()
    with clock.replay(data.at("2021-11-24T10:00")):
        tranche = tranche_approve(actor=organiser, tranche=tranche)
    with clock.replay(data.at("2021-11-26T16:00")):
        tranche_pay(actor=organiser, tranche=tranche, paid_on=PAID_ON, reference=outcome.payment)
    report = agreement.reports.get()
    indicators = list(agreement.indicators.all())
    line = application.budget_lines.all()[0]
    draft = {
        "done": outcome.done,
        "changed": outcome.changed,
        "difficulties": outcome.difficulties,
        "indicators": {
            str(i.pk): str(value)
            for i, (*_spec, value) in zip(indicators, outcome.indicators, strict=True)
        },
        "beneficiaries": [
            {
                "age_group": age,
                "sex": sex,
                "disability": disability,
                "disability_group": group,
                "count": count,
            }
            for age, sex, disability, group, count in outcome.beneficiaries
        ],
        "spending": {str(line.pk): {"spent": outcome.spent, "explanation": outcome.explanation}},
    }
    with clock.replay(data.at("2022-06-01T11:00") + day):
        report = report_save_draft(actor=owner, report=report, data=draft)
    with clock.replay(data.at("2022-06-06T17:00") + day):
        report_submit(actor=owner, report=report, version=report.draft_version)
    with clock.replay(data.at("2022-06-14T12:00") + day):
        report_accept(actor=organiser, report=report)
    with clock.replay(data.at("2022-06-20T10:00") + day):
        return agreement_close(actor=organiser, agreement=agreement)
