"""Time zones as news sources print them: ambiguous abbreviations and the clock of a country.

General reference data, shared by the readers (which see the page) and normalise (which reads the
printed date). "IST" is India, Israel or Irish Standard Time; "CST" US Central or China: each
abbreviation lists its readings, and the source's country picks one.
"""

from __future__ import annotations

from datetime import timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# abbreviation → [(UTC offset in minutes, countries where this reading applies)], most common first
TZ_ABBREVIATIONS: dict[str, list[tuple[int, tuple[str, ...]]]] = {
    "UTC": [(0, ())],
    "GMT": [(0, ())],
    "Z": [(0, ())],
    "IST": [(330, ("IN",)), (120, ("IL",)), (60, ("IE",))],
    "IDT": [(180, ("IL",))],
    "PKT": [(300, ("PK",))],
    "NPT": [(345, ("NP",))],
    "BST": [(60, ("GB",)), (360, ("BD",))],
    "WET": [(0, ("PT",))],
    "WEST": [(60, ("PT",))],
    "CET": [(60, ())],
    "CEST": [(120, ())],
    "MEZ": [(60, ("DE", "AT", "CH"))],
    "MESZ": [(120, ("DE", "AT", "CH"))],
    "EET": [(120, ())],
    "EEST": [(180, ())],
    "MSK": [(180, ("RU",))],
    "EST": [(-300, ("US", "CA")), (600, ("AU",))],
    "EDT": [(-240, ("US", "CA"))],
    "CST": [(-360, ("US", "CA")), (480, ("CN", "TW")), (570, ("AU",))],
    "CDT": [(-300, ("US", "CA"))],
    "MST": [(-420, ("US", "CA"))],
    "MDT": [(-360, ("US", "CA"))],
    "PST": [(-480, ("US", "CA")), (480, ("PH",))],
    "PDT": [(-420, ("US", "CA"))],
    "AKST": [(-540, ("US",))],
    "HST": [(-600, ("US",))],
    "AST": [(-240, ("CA", "PR")), (180, ("SA", "KW", "IQ"))],
    "SGT": [(480, ("SG",))],
    "HKT": [(480, ("HK",))],
    "JST": [(540, ("JP",))],
    "KST": [(540, ("KR",))],
    "AEST": [(600, ("AU",))],
    "AEDT": [(660, ("AU",))],
    "ACST": [(570, ("AU",))],
    "AWST": [(480, ("AU",))],
    "NZST": [(720, ("NZ",))],
    "NZDT": [(780, ("NZ",))],
    "SAST": [(120, ("ZA",))],
    "WAT": [(60, ("NG",))],
    "EAT": [(180, ("KE", "TZ", "UG", "ET"))],
    "GST": [(240, ("AE", "OM"))],
    "AKDT": [(-480, ("US",))],
    "WIB": [(420, ("ID",))],
    "WITA": [(480, ("ID",))],
    "WIT": [(540, ("ID",))],
    "ICT": [(420, ("TH", "VN", "KH", "LA"))],
    "PHT": [(480, ("PH",))],
    "PHST": [(480, ("PH",))],
    "MYT": [(480, ("MY",))],
    "BDT": [(360, ("BD",))],
    "SLST": [(330, ("LK",))],
    "CAT": [(120, ("ZW", "ZM", "MW", "MZ", "BW", "RW"))],
    "WEZ": [(0, ())],
    "WESZ": [(60, ())],
    "OEZ": [(120, ())],
    "OESZ": [(180, ())],
    "BRT": [(-180, ("BR",))],
    "ART": [(-180, ("AR",))],
    "CLT": [(-240, ("CL",))],
    "COT": [(-300, ("CO",))],
    "PET": [(-300, ("PE",))],
    "TRT": [(180, ("TR",))],
}

# US "ET"/"PT" name a clock, not an offset: daylight saving follows the date ("9:30 a.m. ET" in July is -04:00)
TZ_CLOCKS: dict[str, str] = {
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
    "AKT": "America/Anchorage",
    "HT": "Pacific/Honolulu",
}

def resolve_abbreviation(abbrev: str, country: str | None = None) -> tzinfo | None:
    """The offset an abbreviation means, given the source's country when known (a US clock for "ET")."""
    if abbrev.upper() in TZ_CLOCKS:
        return ZoneInfo(TZ_CLOCKS[abbrev.upper()])
    readings = TZ_ABBREVIATIONS.get(abbrev.upper())
    if not readings:
        return None
    chosen = next((r for r in readings if country and country in r[1]), readings[0])
    return timezone(timedelta(minutes=chosen[0]))


# the clock of a country, for dates printed without an offset (one zone per country: its capital's; for the
# US, Canada, Brazil and Australia that is where most of their national press sits as well)
COUNTRY_ZONES: dict[str, str] = {
    "IN": "Asia/Kolkata", "PK": "Asia/Karachi", "NP": "Asia/Kathmandu", "BD": "Asia/Dhaka", "LK": "Asia/Colombo",
    "JP": "Asia/Tokyo", "KR": "Asia/Seoul", "CN": "Asia/Shanghai", "HK": "Asia/Hong_Kong", "TW": "Asia/Taipei",
    "SG": "Asia/Singapore", "MY": "Asia/Kuala_Lumpur", "PH": "Asia/Manila", "ID": "Asia/Jakarta",
    "TH": "Asia/Bangkok", "VN": "Asia/Ho_Chi_Minh", "AE": "Asia/Dubai", "SA": "Asia/Riyadh", "IL": "Asia/Jerusalem",
    "IR": "Asia/Tehran", "TR": "Europe/Istanbul", "GB": "Europe/London", "IE": "Europe/Dublin",
    "DE": "Europe/Berlin", "AT": "Europe/Vienna", "CH": "Europe/Zurich", "FR": "Europe/Paris",
    "IT": "Europe/Rome", "ES": "Europe/Madrid", "PT": "Europe/Lisbon", "NL": "Europe/Amsterdam",
    "BE": "Europe/Brussels", "LU": "Europe/Luxembourg", "DK": "Europe/Copenhagen", "SE": "Europe/Stockholm",
    "NO": "Europe/Oslo", "FI": "Europe/Helsinki", "PL": "Europe/Warsaw", "CZ": "Europe/Prague",
    "HU": "Europe/Budapest", "GR": "Europe/Athens", "RO": "Europe/Bucharest", "UA": "Europe/Kyiv",
    "RU": "Europe/Moscow", "EG": "Africa/Cairo", "ZA": "Africa/Johannesburg", "NG": "Africa/Lagos",
    "KE": "Africa/Nairobi", "NZ": "Pacific/Auckland", "AR": "America/Argentina/Buenos_Aires",
    "CO": "America/Bogota", "CL": "America/Santiago", "PE": "America/Lima", "VE": "America/Caracas",
    "US": "America/New_York", "CA": "America/Toronto", "MX": "America/Mexico_City", "BR": "America/Sao_Paulo",
    "AU": "Australia/Sydney",
}


def country_zone(country: str | None) -> tzinfo | None:
    """The clock of a country (ISO alpha-2) with its daylight saving time, or None when not known."""
    name = COUNTRY_ZONES.get(country or "")
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:
        return None
