"""A decided call for the tests of the protocol, the letters and the announcement (and reading
a PDF back as text).

Five commission members score four applications on three criteria (40/30/30, 0–10). Two
applications tie exactly, on the total and on the first criterion, so the tie-break rules
("criterion:<first>", then "lot") go to the draw. Four members attend the decision session,
one is absent; one votes against with a dissenting opinion, the motion is still adopted.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.urls import reverse
from django.utils import translation

from baiqau.calls.models import Call, CallOrganiser
from baiqau.organisations.models import Membership, Organisation
from baiqau.results.models import Choice, Motion, ResultRules
from baiqau.results.services import decision, ranking_compute, results_publish
from baiqau.review.models import Expert, Review, Score
from tests.factories import UserFactory, call_in_review_with_scores, grant

KAZAKH_LETTERS = "ә ғ қ ң ө ұ ү һ і"
CALL_TITLE_KK = "Әлеуметтік жобалар байқауы"
DISSENT = "Менің ерекше пікірім: «Үміт» жобасының бюджеті негізсіз жоғары."
LOTTERY_VALUE = "KASE индексі 2021-09-01: 2 345,67"

MEMBERS = [
    ("Жұлдыз Омарбекова", "chair@decided.example"),
    ("Ғалым Сәрсенбаев", "galym@decided.example"),
    ("Айгүл Нұрланқызы", "aigul@decided.example"),
    ("Өмірзақ Үсенов", "omirzak@decided.example"),
    ("Һадия Ибраева", "hadiya@decided.example"),
]

PROJECTS = [
    # (title kk, ru, en), organisation (kk, ru, en), org type
    (
        (
            "Өз бетімен өмір сүруге арналған үй",
            "Дом для самостоятельной жизни",
            "House for Independent Living",
        ),
        (
            "«№1 Арнаулы әлеуметтік қызметтер көрсету орталығы» КММ",
            "КГУ «Центр специальных социальных услуг №1»",
            "Centre for Special Social Services No. 1",
        ),
        "state_social",
    ),
    (
        ("Арт-терапия балаларға", "Арт-терапия для детей", "Art therapy for children"),
        (
            "«Ел-Назы» арт-терапия даму орталығы",
            "Центр развития арт-терапии «Ел-Назы»",
            "El-Nazy art therapy development centre",
        ),
        "dpo",
    ),
    (
        (
            "Еріктілер қозғалысы өмірді өзгертеді!",
            "Волонтёрское движение меняет жизнь!",
            "The volunteer movement changes lives!",
        ),
        ("«Үміт» қоғамдық қоры", "Общественный фонд «Умит»", "Umit public foundation"),
        "ngo",
    ),
    (
        ("Қамқор көрші", "Заботливый сосед", "Caring neighbour"),
        (
            "«Қамқор» қоғамдық бірлестігі",
            "Общественное объединение «Камкор»",
            "Kamkor public association",
        ),
        "ngo",
    ),
]

# Per application, each member's three scores in turn.
ROWS = [[9, 9, 9] * 5, [6, 6, 6] * 5, [6, 6, 6] * 5, [2, 2, 2] * 5]

COMMENT_FOR_APPLICANT = "Жоба жақсы ойластырылған, бірақ бюджетті нақтылау керек."
CRITERION_COMMENT = "Әлеуметтік маңызы айқын көрсетілген."
PRIVATE_NOTE = "ҚҰПИЯ: ұйым басшысын жеке танимын"


@dataclass
class Decided:
    call: Call
    organiser: Any
    members: list[Any]
    applications: list[Any]
    motion: Motion | None


def build_call(*, confirm: bool = True, dissent: bool = True, publish: bool = False) -> Decided:
    users = [
        UserFactory(email=email, full_name=name, preferred_language="kk") for name, email in MEMBERS
    ]
    call = call_in_review_with_scores(ROWS, expert_users=users)
    call.title_kk = f"{CALL_TITLE_KK} ({KAZAKH_LETTERS})"
    call.title_ru = "Конкурс социальных проектов"
    call.title_en = "Competition of social projects"
    call.aim_kk = "Өмірдегі қиын жағдайға душар болған жандарға қолдау көрсету."
    call.aim_ru = "Поддержка людей, оказавшихся в трудной жизненной ситуации."
    call.aim_en = "To support people who have found themselves in a difficult life situation."
    call.save()
    for link, name in zip(
        CallOrganiser.objects.filter(call=call).select_related("organisation"),
        [
            ("Алматы қаласының әкімдігі", "Акимат города Алматы", "Akimat of Almaty"),
            (
                "Жұмыспен қамту және әлеуметтік бағдарламалар басқармасы",
                "Управление занятости и социальных программ",
                "Department of Employment and Social Programmes",
            ),
        ],
        strict=True,
    ):
        Organisation.objects.filter(pk=link.organisation_id).update(
            name_kk=name[0], name_ru=name[1], name_en=name[2]
        )
    applications = list(call.applications.order_by("pk").select_related("organisation"))
    for application, (titles, names, org_type) in zip(applications, PROJECTS, strict=True):
        application.title_kk, application.title_ru, application.title_en = titles
        application.goal_kk = "Мүмкіндігі шектеулі жандарды өз бетінше өмір сүруге дайындау."
        application.goal_ru = "Подготовить людей с инвалидностью к самостоятельной жизни."
        application.goal_en = "To prepare people with disabilities for independent living."
        application.save()
        Organisation.objects.filter(pk=application.organisation_id).update(
            name_kk=names[0], name_ru=names[1], name_en=names[2], org_type=org_type
        )
    criteria = list(call.criteria.all())
    ResultRules.objects.update_or_create(
        call=call,
        defaults={
            "tie_break": [f"criterion:{criteria[0].pk}", "lot"],
            "lottery_value": LOTTERY_VALUE,
        },
    )
    # Every member explains their scores to the applicant and keeps a private note.
    Review.objects.filter(application__call=call).update(
        comment_for_applicant=COMMENT_FOR_APPLICANT, note_for_commission=PRIVATE_NOTE
    )
    Score.objects.filter(review__application__call=call, criterion=criteria[0]).update(
        comment=CRITERION_COMMENT
    )
    organiser = grant(
        call, UserFactory(email="organiser@decided.example", full_name="Ұйымдастырушы")
    )
    ranking_compute(actor=organiser, call=call)
    motion = vote(call, users, dissent=dissent) if confirm else None
    if publish:
        results_publish(actor=organiser, call=call)
    call.refresh_from_db()
    return Decided(call, organiser, users, applications, motion)


def vote(call: Call, users: list[Any], *, dissent: bool = True) -> Motion:
    """The first member chairs; the last is absent; the fourth votes against (with dissent)."""
    Expert.objects.filter(call=call, user=users[0]).update(is_chair=True)
    chair = users[0]
    session = decision.session_open(actor=chair, call=call)
    for user in users[1:4]:
        decision.attendance_confirm(actor=user, session=session)
    motion = decision.motion_open(actor=chair, session=session)
    for user in users[:3]:
        decision.ballot_cast(actor=user, motion=motion, choice=Choice.FOR)
    if dissent:
        decision.ballot_cast(actor=users[3], motion=motion, choice=Choice.AGAINST, dissent=DISSENT)
    else:
        decision.ballot_cast(actor=users[3], motion=motion, choice=Choice.FOR)
    motion = decision.motion_close(actor=chair, motion=motion)
    decision.session_close(actor=chair, session=session)
    return motion


def add_applicants(applications: list[Any], languages: list[str]) -> list[Any]:
    """One member of each applicant organisation, who created its application, in a language."""
    people = []
    for application, language in zip(applications, languages, strict=True):
        user = UserFactory(
            email=f"applicant{application.pk}@decided.example",
            full_name=f"Өтініш беруші {application.pk}",
            preferred_language=language,
        )
        Membership.objects.create(organisation=application.organisation, user=user, role="owner")
        application.created_by = user
        application.save(update_fields=["created_by"])
        people.append(user)
    return people


# Reading a PDF back -------------------------------------------------------------------------


def pdf_text(document: bytes, tmp_path: Path, name: str = "protocol") -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(document)
    result = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def flat(text: str) -> str:
    """The text with every run of white space made one space (lines wrap anywhere, and after a
    hyphen a wrapped line goes on without a space; a word hyphenated by the layout is whole)."""
    text = re.sub("\u2010\\s+", "", text)
    return re.sub(r"-\s+", "-", " ".join(text.split()))


def public_url(call, language="kk"):
    with translation.override(language):
        return reverse("publishing:results_protocol", args=[call.slug])
