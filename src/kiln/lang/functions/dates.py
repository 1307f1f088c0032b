"""Date and time functions.

`formatdate` and `timeadd` follow cty's stdlib; `timestamp`, `legacy_isotime`,
`legacy_strftime`, `rfc3339_parse` and `unix_timestamp_parse` are Packer's own. The legacy
functions format the time the process started, so every call in one run agrees, while
`timestamp` reads the clock at each call.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kiln.lang.functions._base import ArgumentError, Function, FunctionError, Parameter, make, whole_number
from kiln.lang.functions._gotime import (
    GoTimeParseError,
    format_rfc3339,
    go_quote,
    go_weekday,
    month_name,
    parse_duration,
    parse_rfc3339,
    strftime,
    weekday_name,
)
from kiln.lang.gotime import format_go_time
from kiln.lang.types import NUMBER, STRING, ObjectType, Type
from kiln.lang.values import Value, number_val, object_val, string_val

PROCESS_START = datetime.now(UTC)

_SEGMENTS = {
    "2006": "year",
    "01": "month",
    "02": "day of month",
    "15": "hour",
    "04": "minute",
    "05": "second",
    "Z07:00": "UTC offset",
}


def parse_timestamp(text: str) -> datetime:
    """Parse an RFC 3339 timestamp, raising ValueError with cty's friendlier wording."""
    try:
        return parse_rfc3339(text)
    except GoTimeParseError as error:
        raise ValueError(_timestamp_message(error)) from None


def _timestamp_message(error: GoTimeParseError) -> str:
    if not error.layout_elem and not error.value_elem and error.message:
        return f"not a valid RFC3339 timestamp{error.message}"
    if error.layout_elem == "T":
        return "not a valid RFC3339 timestamp: missing required time introducer 'T'"
    if error.layout_elem in (":", "-"):
        if not error.value_elem:
            return f"not a valid RFC3339 timestamp: end of string where {go_quote(error.layout_elem)} is expected"
        return (
            f"not a valid RFC3339 timestamp: found {go_quote(error.value_elem)} "
            f"where {go_quote(error.layout_elem)} is expected"
        )
    what = _SEGMENTS.get(error.layout_elem, "timestamp segment")
    if not error.value_elem:
        return f"not a valid RFC3339 timestamp: end of string before {what}"
    return f"not a valid RFC3339 timestamp: cannot use {go_quote(error.value_elem)} as {what}"


def format_date(layout: str, moment: datetime) -> str:
    """Format `moment` with cty's formatdate mnemonics (YYYY, MM, DD, hh, mm, ss, Z...)."""
    out: list[str] = []
    index = 0
    while index < len(layout):
        char = layout[index]
        if char == "'":
            index = _append_literal(layout, index, out)
        elif char.isascii() and char.isalpha():
            end = index
            while end < len(layout) and layout[end] == char:
                end += 1
            out.append(_format_verb(layout[index:end], moment))
            index = end
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _append_literal(layout: str, index: int, out: list[str]) -> int:
    if layout.startswith("''", index):
        out.append("'")
        return index + 2
    cursor = index + 1
    literal: list[str] = []
    while cursor < len(layout):
        if layout[cursor] == "'":
            if cursor == len(layout) - 1:
                # cty's tokenizer asks for one more byte to tell a closing quote from a doubled
                # one, and at the end of the format there is none: the literal is dropped.
                return cursor + 1
            if layout.startswith("''", cursor):
                literal.append("'")
                cursor += 2
                continue
            out.append("".join(literal))
            return cursor + 1
        literal.append(layout[cursor])
        cursor += 1
    raise ArgumentError(0, "unterminated literal '")


def _format_verb(token: str, moment: datetime) -> str:
    letter, size = token[0], len(token)
    hour12 = moment.hour % 12 or 12
    choices: dict[str, dict[int, str]] = {
        "Y": {2: f"{moment.year % 100:02d}", 4: f"{moment.year:04d}"},
        "M": {
            1: str(moment.month),
            2: f"{moment.month:02d}",
            3: month_name(moment)[:3],
            4: month_name(moment),
        },
        "D": {1: str(moment.day), 2: f"{moment.day:02d}"},
        "E": {3: weekday_name(moment)[:3], 4: weekday_name(moment)},
        "h": {1: str(moment.hour), 2: f"{moment.hour:02d}"},
        "H": {1: str(hour12), 2: f"{hour12:02d}"},
        "A": {2: "AM" if moment.hour < 12 else "PM"},
        "a": {2: "am" if moment.hour < 12 else "pm"},
        "m": {1: str(moment.minute), 2: f"{moment.minute:02d}"},
        "s": {1: str(moment.second), 2: f"{moment.second:02d}"},
        "Z": _zone_choices(moment),
    }
    if letter not in choices:
        raise ArgumentError(0, f"invalid date format verb {go_quote(token)}")
    text = choices[letter].get(size)
    if text is None:
        raise ArgumentError(0, f"invalid date format verb {go_quote(token)}: {_VERB_RULES[letter]}")
    return text


_VERB_RULES = {
    "Y": 'year must either be "YY" or "YYYY"',
    "M": 'month must be "M", "MM", "MMM", or "MMMM"',
    "D": 'day of month must either be "D" or "DD"',
    "E": 'day of week must either be "EEE" or "EEEE"',
    "h": '24-hour must either be "h" or "hh"',
    "H": '12-hour must either be "H" or "HH"',
    "A": 'must be "AA"',
    "a": 'must be "aa"',
    "m": 'minute must either be "m" or "mm"',
    "s": 'second must either be "s" or "ss"',
    "Z": "timezone must be Z, ZZZZ, or ZZZZZ",
}


def _zone_choices(moment: datetime) -> dict[int, str]:
    seconds = int((moment.utcoffset() or timedelta(0)).total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, minutes = abs(seconds) // 3600, abs(seconds) // 60 % 60
    compact = f"{sign}{hours:02d}{minutes:02d}"
    colon = f"{sign}{hours:02d}:{minutes:02d}"
    return {1: "Z" if seconds == 0 else colon, 3: "UTC" if seconds == 0 else compact, 4: compact, 5: colon}


def _formatdate(args: list[Value], _: Type) -> Value:
    try:
        moment = parse_timestamp(args[1].as_str())
    except ValueError as error:
        raise ArgumentError(1, str(error)) from None
    return string_val(format_date(args[0].as_str(), moment))


def _timeadd(args: list[Value], _: Type) -> Value:
    try:
        moment = parse_timestamp(args[0].as_str())
    except ValueError as error:
        raise FunctionError(str(error)) from None
    try:
        nanoseconds = parse_duration(args[1].as_str())
    except ValueError as error:
        raise FunctionError(str(error)) from None
    return string_val(format_rfc3339(moment + timedelta(microseconds=nanoseconds // 1000)))


def _legacy(formatter):  # type: ignore[no-untyped-def]
    def impl(args: list[Value], _: Type) -> Value:
        if len(args) > 1:
            shown = " ".join(repr(arg) for arg in args)
            raise FunctionError(f"too many values, 1 needed: [{shown}]")
        if not args:
            return string_val(format_rfc3339(PROCESS_START))
        return string_val(formatter(args[0].as_str(), PROCESS_START))

    return impl


_DATE_FIELDS = {
    "year": NUMBER,
    "year_day": NUMBER,
    "day": NUMBER,
    "month": NUMBER,
    "month_name": STRING,
    "weekday": NUMBER,
    "weekday_name": STRING,
    "hour": NUMBER,
    "minute": NUMBER,
    "second": NUMBER,
    "iso_year": NUMBER,
    "iso_week": NUMBER,
}
RFC3339_PARSE_TYPE = ObjectType({**_DATE_FIELDS, "unix": NUMBER})
UNIX_TIMESTAMP_PARSE_TYPE = ObjectType({**_DATE_FIELDS, "rfc3339": STRING})


def _date_fields(moment: datetime) -> dict[str, Value]:
    iso_year, iso_week, _ = moment.isocalendar()
    return {
        "year": number_val(moment.year),
        "year_day": number_val(moment.timetuple().tm_yday),
        "day": number_val(moment.day),
        "month": number_val(moment.month),
        "month_name": string_val(month_name(moment)),
        "weekday": number_val(go_weekday(moment)),
        "weekday_name": string_val(weekday_name(moment)),
        "hour": number_val(moment.hour),
        "minute": number_val(moment.minute),
        "second": number_val(moment.second),
        "iso_year": number_val(iso_year),
        "iso_week": number_val(iso_week),
    }


def _rfc3339_parse(args: list[Value], _: Type) -> Value:
    text = args[0].as_str()
    try:
        moment = parse_rfc3339(text, separators="T ")
    except GoTimeParseError:
        raise ArgumentError(0, f"{go_quote(text)} is not a valid RFC3339 timestamp") from None
    unix = int(moment.replace(microsecond=0).timestamp())
    return object_val({**_date_fields(moment), "unix": number_val(unix)})


def _unix_timestamp_parse(args: list[Value], _: Type) -> Value:
    try:
        seconds = whole_number(args[0])
    except ValueError as error:
        raise ArgumentError(
            0, f"unix_timestamp must be a whole number of seconds representable as a 64-bit integer: {error}"
        ) from None
    try:
        moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)
    except OverflowError:
        # NOTE: Go represents years beyond 9999; Python's datetime cannot.
        raise ArgumentError(
            0, "unix_timestamp is outside the years 1 to 9999 that kiln can represent"
        ) from None
    return object_val({**_date_fields(moment), "rfc3339": string_val(format_rfc3339(moment))})


def date_functions() -> dict[str, Function]:
    text = Parameter("format", STRING)
    return {
        "formatdate": make([Parameter("format", STRING), Parameter("time", STRING)], STRING, _formatdate),
        "legacy_isotime": make(
            [], STRING, _legacy(lambda layout, moment: format_go_time(moment, layout)), var_param=text
        ),
        "legacy_strftime": make([], STRING, _legacy(strftime), var_param=text),
        "rfc3339_parse": make([Parameter("timestamp", STRING)], RFC3339_PARSE_TYPE, _rfc3339_parse),
        "timeadd": make([Parameter("timestamp", STRING), Parameter("duration", STRING)], STRING, _timeadd),
        "timestamp": make([], STRING, lambda _args, _type: string_val(format_rfc3339(datetime.now(UTC)))),
        "unix_timestamp_parse": make(
            [Parameter("unix_timestamp", NUMBER)], UNIX_TIMESTAMP_PARSE_TYPE, _unix_timestamp_parse
        ),
    }
