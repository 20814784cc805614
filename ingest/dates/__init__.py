"""Dates, in one package: printed and machine dates, the day/month order, time zones, mentioned dates.

    zones.py      time-zone abbreviations (`ingest/vocab/zones.tsv`) and a country's clock
    months.py     month names and abbreviations (`ingest/vocab/months.tsv`)
    weekdays.py   weekday names (`ingest/vocab/weekdays.tsv`)
    labels.py     what labels a printed date: published, updated (`ingest/vocab/date_labels.tsv`)
    order.py      THE numeric date (NUMERIC_DATE) and THE day/month-order policy: in-page evidence, the
                  source's country, its language
    digits.py     digits in other scripts read as ASCII ("٢٠٢٠", "２０２１")
    clock.py      the time of day printed beside a date ("12. März 2021, 14:35 Uhr", "9:05 p.m. ET")
    printed.py    full dates as pages print them ("14. Januar 2022", "January 14, 2022", "10/05/2022"), other
                  calendars' too ("5 มกราคม 2564", "۱۵ شهریور ۱۴۰۰", "令和3年3月5日")
    calendars.py  those calendars' dates as Gregorian ones: Thai Buddhist era, Solar Hijri, Japanese eras
    published.py  a source's publication date string → an aware datetime (normalise)
    mentions.py   dates mentioned in the text, resolved against the publication date (enrich)

The readers keep the source's text (`RawDocument.published_raw`) and pass what the page shows of its
order and clock as data (`RawDocument.date_order`, `published_clock`); normalise resolves the string.
The DOM searches for a page's date stay with the HTML reader (`ingest/parse/html/dates.py`,
`textdates.py`). See docs/architecture.md, "Dates".
"""

from __future__ import annotations

from ingest.dates.labels import date_labels, is_updated_label, label_pattern
from ingest.dates.mentions import find_dates
from ingest.dates.months import is_month_name, month_number
from ingest.dates.order import (
    MACHINE_SOURCES,
    NUMERIC_DATE,
    DateOrder,
    date_order,
    day_or_none,
    full_year,
    numeric_date,
    numeric_match,
    printed_order,
)
from ingest.dates.printed import PRINTED_DATE, date_matches, opening_date, printed_dates, read_date, read_match
from ingest.dates.published import is_future, parse_published
from ingest.dates.weekdays import is_weekday_name, weekday_names_in, weekday_number
from ingest.dates.zones import country_zone, is_zone_abbreviation, language_country, resolve_abbreviation

__all__ = [
    "MACHINE_SOURCES",
    "NUMERIC_DATE",
    "PRINTED_DATE",
    "DateOrder",
    "country_zone",
    "date_labels",
    "date_matches",
    "date_order",
    "day_or_none",
    "find_dates",
    "full_year",
    "is_future",
    "is_month_name",
    "is_updated_label",
    "is_weekday_name",
    "is_zone_abbreviation",
    "label_pattern",
    "language_country",
    "month_number",
    "numeric_date",
    "numeric_match",
    "opening_date",
    "parse_published",
    "printed_dates",
    "printed_order",
    "read_date",
    "read_match",
    "resolve_abbreviation",
    "weekday_names_in",
    "weekday_number",
]
