"""Go's time parsing pieces that the date functions share: RFC 3339, durations and strftime.

cty's date functions call Go's `time.Parse(time.RFC3339, ...)` and `time.ParseDuration`.
Packer's `legacy_strftime` uses the jehiah/go-strftime package. Function errors reach users
verbatim, so the error texts here follow those libraries.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

_DIGITS = re.compile(r"\d+")


@dataclass
class GoTimeParseError(Exception):
    """A failed parse, with the fields of Go's `time.ParseError` that cty's messages use."""

    value: str
    layout_elem: str
    value_elem: str
    message: str = ""

    def __str__(self) -> str:
        layout = "2006-01-02T15:04:05Z07:00"
        if self.message:
            return f"parsing time {go_quote(self.value)}{self.message}"
        return (
            f"parsing time {go_quote(self.value)} as {go_quote(layout)}: "
            f"cannot parse {go_quote(self.value_elem)} as {go_quote(self.layout_elem)}"
        )


def go_quote(text: str) -> str:
    """Quote `text` as Go's `%q` does for printable text: double quotes, backslash escapes."""
    out = ['"']
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char == "\r":
            out.append("\\r")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def parse_rfc3339(value: str, *, separators: str = "T") -> datetime:
    """Parse an RFC 3339 timestamp as Go's `time.Parse(time.RFC3339, value)`.

    Fractional seconds are accepted after the seconds, as Go does. `separators` lists the
    characters accepted between date and time. Raises `GoTimeParseError`.
    """
    rest = value
    year, rest = _take_digits(value, rest, "2006", 4)
    rest = _skip(value, rest, "-")
    month, rest = _take_digits(value, rest, "01", 2)
    if not 1 <= month <= 12:
        raise GoTimeParseError(value, "01", rest, ": month out of range")
    rest = _skip(value, rest, "-")
    day, rest = _take_digits(value, rest, "02", 2)
    if not rest or rest[0] not in separators:
        raise GoTimeParseError(value, "T", rest)
    rest = rest[1:]
    hour, rest = _take_digits(value, rest, "15", 2)
    if hour > 23:
        raise GoTimeParseError(value, "15", rest, ": hour out of range")
    rest = _skip(value, rest, ":")
    minute, rest = _take_digits(value, rest, "04", 2)
    if minute > 59:
        raise GoTimeParseError(value, "04", rest, ": minute out of range")
    rest = _skip(value, rest, ":")
    second, rest = _take_digits(value, rest, "05", 2)
    if second > 59:
        raise GoTimeParseError(value, "05", rest, ": second out of range")
    micro, rest = _take_fraction(rest)
    offset, rest = _take_zone(value, rest)
    if rest:
        raise GoTimeParseError(value, "", rest, f": extra text: {go_quote(rest)}")
    if day < 1 or day > calendar.monthrange(year, month)[1]:
        raise GoTimeParseError(value, "", "", ": day out of range")
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=offset)


def _take_digits(value: str, rest: str, element: str, count: int) -> tuple[int, str]:
    digits = rest[:count]
    if len(digits) < count or not digits.isascii() or not digits.isdigit():
        if element == "2006" and len(digits) == 4 and digits[0].isdigit():
            # Go has already consumed the four characters when the year fails to parse, so
            # its error shows the text after them.
            raise GoTimeParseError(value, element, rest[4:])
        raise GoTimeParseError(value, element, rest)
    return int(digits), rest[count:]


def _skip(value: str, rest: str, literal: str) -> str:
    if not rest.startswith(literal):
        raise GoTimeParseError(value, literal, rest)
    return rest[len(literal) :]


def _take_fraction(rest: str) -> tuple[int, str]:
    if len(rest) < 2 or rest[0] not in ".," or not rest[1].isdigit():
        return 0, rest
    match = _DIGITS.match(rest, 1)
    assert match is not None
    digits = match.group()
    return int((digits + "000000")[:6]), rest[match.end() :]


def _take_zone(value: str, rest: str) -> tuple[timezone, str]:
    if rest.startswith("Z"):
        return UTC, rest[1:]
    zone = rest[:6]
    if len(zone) < 6 or zone[0] not in "+-" or zone[3] != ":" or not (zone[1:3] + zone[4:6]).isdigit():
        raise GoTimeParseError(value, "Z07:00", rest)
    hours, minutes = int(zone[1:3]), int(zone[4:6])
    if hours > 24 or minutes > 59:
        raise GoTimeParseError(value, "Z07:00", rest, ": time zone offset out of range")
    sign = -1 if zone[0] == "-" else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes)), rest[6:]


def format_rfc3339(moment: datetime) -> str:
    """Format `moment` as Go's `time.RFC3339` layout: whole seconds, ``Z`` for UTC."""
    offset = moment.utcoffset() or timedelta(0)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if offset == timedelta(0):
        return text + "Z"
    seconds = int(offset.total_seconds())
    sign = "-" if seconds < 0 else "+"
    seconds = abs(seconds)
    return f"{text}{sign}{seconds // 3600:02d}:{seconds // 60 % 60:02d}"


_DURATION_UNITS = {
    "ns": 1,
    "us": 1_000,
    "\u00b5s": 1_000,
    "\u03bcs": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
}
_DURATION_PART = re.compile(r"(\d*)(?:\.(\d*))?([^\d.]*)")


def parse_duration(text: str) -> int:
    """Parse a Go duration (``1h30m``, ``-1.5s``) into nanoseconds, as `time.ParseDuration`."""
    invalid = ValueError(f"time: invalid duration {go_quote(text)}")
    rest = text
    sign = 1
    if rest[:1] in ("-", "+"):
        sign = -1 if rest[0] == "-" else 1
        rest = rest[1:]
    if rest == "0":
        return 0
    if not rest:
        raise invalid
    total = 0
    while rest:
        match = _DURATION_PART.match(rest)
        assert match is not None
        whole, fraction, unit = match.group(1), match.group(2), match.group(3)
        if not whole and not fraction:
            raise invalid
        if not unit:
            raise ValueError(f"time: missing unit in duration {go_quote(text)}")
        unit_end = len(unit)
        for index, char in enumerate(unit):
            if char == "." or char.isdigit():
                unit_end = index
                break
        unit = unit[:unit_end]
        if unit not in _DURATION_UNITS:
            raise ValueError(f"time: unknown unit {go_quote(unit)} in duration {go_quote(text)}")
        scale = _DURATION_UNITS[unit]
        total += int(whole or "0") * scale
        if fraction:
            total += int(fraction) * scale // 10 ** len(fraction)
        rest = rest[match.start(3) + len(unit) :]
    if total > 2**63 - 1:
        raise invalid
    return sign * total


_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def go_weekday(moment: datetime) -> int:
    """Return Go's weekday number: 0 for Sunday up to 6 for Saturday."""
    return (moment.weekday() + 1) % 7


def weekday_name(moment: datetime) -> str:
    return _WEEKDAYS[moment.weekday()]


def month_name(moment: datetime) -> str:
    return _MONTHS[moment.month - 1]


def strftime(layout: str, moment: datetime) -> str:
    """Format `moment` with strftime directives as the jehiah/go-strftime package does.

    Unsupported directives are written as they are, with their percent sign.
    """
    out: list[str] = []
    index = 0
    while index < len(layout):
        char = layout[index]
        if char != "%" or index + 1 >= len(layout):
            out.append(char)
            index += 1
            continue
        directive = layout[index + 1]
        out.append(_strftime_directive(directive, moment))
        index += 2
    return "".join(out)


def _strftime_directive(directive: str, moment: datetime) -> str:
    hour12 = moment.hour % 12 or 12
    simple = {
        "A": weekday_name(moment),
        "a": weekday_name(moment)[:3],
        "B": month_name(moment),
        "b": month_name(moment)[:3],
        "c": f"{moment:%a %b} {moment.day} {moment:%H:%M:%S %Y}",
        "d": f"{moment.day:02d}",
        "f": f"{moment.microsecond:06d}",
        "H": f"{moment.hour:02d}",
        "I": f"{hour12:02d}",
        "j": f"{moment.timetuple().tm_yday:03d}",
        "L": f"{moment.microsecond // 1000:03d}",
        "m": f"{moment.month:02d}",
        "M": f"{moment.minute:02d}",
        "p": "AM" if moment.hour < 12 else "PM",
        "S": f"{moment.second:02d}",
        "U": moment.strftime("%U"),
        "w": str(go_weekday(moment)),
        "W": moment.strftime("%W"),
        "x": moment.strftime("%m/%d/%y"),
        "X": moment.strftime("%H:%M:%S"),
        "y": moment.strftime("%y"),
        "Y": f"{moment.year:04d}",
        "Z": moment.tzname() or "UTC",
        "z": moment.strftime("%z") or "+0000",
        "%": "%",
    }
    return simple.get(directive, "%" + directive)
