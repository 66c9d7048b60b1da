from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template import Context, Template
from django.utils import formats, translation


def test_kazakhstan_is_utc_plus_5_since_march_2024():
    almaty = ZoneInfo(settings.TIME_ZONE)
    assert datetime(2024, 3, 1, 12, tzinfo=almaty).utcoffset().total_seconds() == 5 * 3600
    assert datetime(2021, 10, 1, 12, tzinfo=almaty).utcoffset().total_seconds() == 6 * 3600


def test_kazakh_number_and_date_formats():
    with translation.override("kk"):
        assert formats.number_format(
            Decimal("1000000.50"), 2, use_l10n=True, force_grouping=True
        ) == ("1\u00a0000\u00a0000,50")
        assert formats.date_format(datetime(2026, 3, 22), "DATE_FORMAT") == "22 Наурыз 2026 ж."


def test_russian_and_english_date_formats():
    with translation.override("ru"):
        assert formats.date_format(datetime(2026, 3, 22), "DATE_FORMAT") == "22 марта 2026 г."
    with translation.override("en"):
        assert formats.date_format(datetime(2026, 3, 22), "DATE_FORMAT") == "22 March 2026"


def test_tenge_filter_uses_no_break_spaces_in_every_language():
    template = Template("{% load baiqau %}{{ amount|tenge }}")
    for lang in ("kk", "ru", "en"):
        with translation.override(lang):
            assert template.render(Context({"amount": 1_000_000})) == "1\u00a0000\u00a0000\u00a0₸"


def test_score_filter_rounds_half_to_even_with_the_languages_separator():
    template = Template("{% load baiqau %}{{ value|score }}")
    with translation.override("kk"):
        assert template.render(Context({"value": Decimal("82.2857")})) == "82,29"
    with translation.override("en"):
        assert template.render(Context({"value": Decimal("0.125")})) == "0.12"
