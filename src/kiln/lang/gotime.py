"""Go's reference-time layouts (`2006-01-02T15:04:05Z07:00`) for formatting timestamps.

Packer formats times with Go layouts in `isotime`, `legacy_isotime` and `formatdate`-adjacent
places, so kiln reproduces Go's `time.Time.Format` for the layout elements Go defines.

    format_go_time(datetime(2026, 12, 4, 20, 5, tzinfo=UTC), "2006-01-02 15:04")  # '2026-12-04 20:05'
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

RFC3339 = "2006-01-02T15:04:05Z07:00"

# Longest elements first, so "2006" wins over "2" and "January" over "Jan".
_ELEMENT = re.compile(
    r"January|Monday|Jan|Mon|MST|2006|Z07:00:00|-07:00:00|Z070000|-070000|Z07:00|-07:00|Z0700|-0700|Z07|-07"
    r"|[.,](?:0+|9+)(?!\d)|__2|002|06|01|02|_2|15|03|04|05|PM|pm|1|2|3|4|5"
)


def _zone(offset: timedelta | None, element: str) -> str:
    seconds = int(offset.total_seconds()) if offset is not None else 0
    if element.startswith("Z") and seconds == 0:
        return "Z"
    sign = "-" if seconds < 0 else "+"
    seconds = abs(seconds)
    hours, minutes, secs = seconds // 3600, seconds // 60 % 60, seconds % 60
    body = element.lstrip("Z-")
    if body == "07":
        return f"{sign}{hours:02d}"
    if body == "0700":
        return f"{sign}{hours:02d}{minutes:02d}"
    if body == "07:00":
        return f"{sign}{hours:02d}:{minutes:02d}"
    if body == "070000":
        return f"{sign}{hours:02d}{minutes:02d}{secs:02d}"
    return f"{sign}{hours:02d}:{minutes:02d}:{secs:02d}"


def _fraction(moment: datetime, element: str) -> str:
    digits = len(element) - 1
    nanos = f"{moment.microsecond:06d}000"[:digits]
    if element[1] == "9":
        nanos = nanos.rstrip("0")
        return element[0] + nanos if nanos else ""
    return element[0] + nanos


def format_go_time(moment: datetime, layout: str) -> str:
    """Format `moment` as Go's `time.Time.Format(layout)` does."""
    hour12 = moment.hour % 12 or 12

    def element(match: re.Match[str]) -> str:
        text = match.group()
        simple = {
            "January": moment.strftime("%B"),
            "Jan": moment.strftime("%b"),
            "Monday": moment.strftime("%A"),
            "Mon": moment.strftime("%a"),
            "MST": moment.tzname() or "UTC",
            "2006": f"{moment.year:04d}",
            "06": f"{moment.year % 100:02d}",
            "01": f"{moment.month:02d}",
            "1": str(moment.month),
            "02": f"{moment.day:02d}",
            "2": str(moment.day),
            "_2": f"{moment.day:2d}",
            "__2": f"{moment.timetuple().tm_yday:3d}",
            "002": f"{moment.timetuple().tm_yday:03d}",
            "15": f"{moment.hour:02d}",
            "03": f"{hour12:02d}",
            "3": str(hour12),
            "04": f"{moment.minute:02d}",
            "4": str(moment.minute),
            "05": f"{moment.second:02d}",
            "5": str(moment.second),
            "PM": "PM" if moment.hour >= 12 else "AM",
            "pm": "pm" if moment.hour >= 12 else "am",
        }
        if text in simple:
            return simple[text]
        if text[0] in ".,":
            return _fraction(moment, text)
        return _zone(moment.utcoffset(), text)

    return _ELEMENT.sub(element, layout)
