"""Encoding functions: base64, gzip, CSV, JSON, YAML, URL and text encodings.

`base64decode`, `base64encode` and `urlencode` follow go-cty-funcs; `csvdecode`,
`jsondecode` and `jsonencode` cty's stdlib; `base64gzip`, `textdecodebase64` and
`textencodebase64` are Packer's own; the YAML pair lives in `kiln.lang.functions.yaml`.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import csv
import io
import struct
import urllib.parse
import zlib

from kiln.lang.functions._base import ArgumentError, Function, FunctionError, Parameter, make
from kiln.lang.functions._gotime import go_quote
from kiln.lang.types import DYNAMIC, NUMBER, STRING, ListType, ObjectType, Type
from kiln.lang.values import (
    JSONError,
    Value,
    from_json,
    implied_type_of_json,
    list_val,
    list_val_empty,
    object_val,
    string_val,
    to_json,
    unknown_val,
)


def go_base64_decode(text: str) -> bytes:
    """Decode standard base64 as Go's StdEncoding: padding required, CR and LF ignored."""
    cleaned = text.replace("\r", "").replace("\n", "")
    return base64.b64decode(cleaned, validate=True)


_BASE64_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def _corrupt_base64_offset(text: str) -> int:
    """Return where Go's base64 decoder reports corrupt input: the first byte outside the
    alphabet, or else the start of the incomplete final group of four.
    """
    cleaned = text.replace("\r", "").replace("\n", "")
    for index, char in enumerate(cleaned):
        if char not in _BASE64_ALPHABET and char != "=":
            return index
    return len(cleaned) - len(cleaned) % 4


def _base64decode(args: list[Value], _: Type) -> Value:
    text = args[0].as_str()
    try:
        decoded = go_base64_decode(text)
    except (binascii.Error, ValueError):
        raise FunctionError(f"failed to decode base64 data '{text}'") from None
    try:
        return string_val(decoded.decode("utf-8"))
    except UnicodeDecodeError:
        # The doubled "the" is go-cty-funcs' own wording, kept so messages match Packer's.
        raise FunctionError("the result of decoding the the provided string is not valid UTF-8") from None


def _base64encode(args: list[Value], _: Type) -> Value:
    return string_val(base64.b64encode(args[0].as_str().encode()).decode("ascii"))


def go_gzip(data: bytes) -> bytes:
    """Compress as Go's gzip.Writer after Write, Flush and Close.

    The header has no name, a zero modification time and OS byte 255. Go's Flush emits a
    sync marker (an empty stored block) and Close a final empty stored block, so the stream
    ends ``00 00 ff ff 01 00 00 ff ff`` before the CRC-32 and the length.
    """
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    trailer = struct.pack("<II", zlib.crc32(data) & 0xFFFFFFFF, len(data) & 0xFFFFFFFF)
    return header + body + b"\x01\x00\x00\xff\xff" + trailer


def _base64gzip(args: list[Value], _: Type) -> Value:
    return string_val(base64.b64encode(go_gzip(args[0].as_str().encode())).decode("ascii"))


# Go's encoding/csv words the quoting errors Python's csv module also detects.
_GO_CSV_MESSAGES = {
    "unexpected end of data": 'extraneous or missing " in quoted-field',
    "',' expected after '\"'": 'extraneous or missing " in quoted-field',
}


def _read_csv(text: str) -> list[list[str]]:
    """Read CSV records as Go's encoding/csv: blank lines skipped, equal field counts required."""
    rows = []
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        for row in reader:
            if row:
                rows.append(row)
    except csv.Error as error:
        message = _GO_CSV_MESSAGES.get(str(error), str(error))
        raise FunctionError(f"CSV parse error on line {reader.line_num}: {message}") from None
    return rows


def _csvdecode_type(args: list[Value]) -> Type:
    if not args[0].is_known:
        return DYNAMIC
    rows = _read_csv(args[0].as_str())
    if not rows:
        raise FunctionError("missing header line")
    attributes: dict[str, Type] = {}
    for name in rows[0]:
        if name in attributes:
            raise FunctionError(f"duplicate column name {go_quote(name)}")
        attributes[name] = STRING
    return ListType(ObjectType(attributes))


def _csvdecode(args: list[Value], return_type: Type) -> Value:
    rows = _read_csv(args[0].as_str())
    headers = rows[0]
    records = []
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(headers):
            raise FunctionError(f"CSV parse error on line {line}: wrong number of fields")
        records.append(object_val({name: string_val(cell) for name, cell in zip(headers, row, strict=True)}))
    return list_val(records) if records else list_val_empty(return_type.element_type)


def _jsondecode_type(args: list[Value]) -> Type:
    if not args[0].is_known:
        return DYNAMIC
    try:
        return implied_type_of_json(args[0].as_str())
    except JSONError as error:
        raise FunctionError(str(error)) from None


def _jsondecode(args: list[Value], return_type: Type) -> Value:
    try:
        return from_json(args[0].as_str(), return_type)
    except JSONError as error:
        raise FunctionError(str(error)) from None


def _jsonencode(args: list[Value], _: Type) -> Value:
    value = args[0]
    if not value.is_wholly_known:
        return unknown_val(STRING)
    if _contains_infinity(value):
        raise FunctionError("cannot serialize infinity as JSON")
    try:
        return string_val(to_json(value))
    except JSONError as error:
        raise FunctionError(str(error)) from None


def _contains_infinity(value: Value) -> bool:
    if value.is_null:
        return False
    if value.type == NUMBER:
        return value.as_number().is_infinite()
    if value.type.is_map() or value.type.is_object():
        return any(_contains_infinity(element) for _, element in value.items())
    if value.type.is_primitive():
        return False
    return any(_contains_infinity(element) for element in value.elements())


def _urlencode(args: list[Value], _: Type) -> Value:
    # Go's url.QueryEscape: spaces become "+", and only letters, digits and "-_.~" stay.
    return string_val(urllib.parse.quote_plus(args[0].as_str(), safe="-_.~"))


def _codec(name: str, index: int) -> codecs.CodecInfo:
    try:
        return codecs.lookup(name)
    except LookupError:
        raise ArgumentError(
            index, f"{go_quote(name)} is not a supported IANA encoding name or alias in this Packer version"
        ) from None


def _textencodebase64(args: list[Value], _: Type) -> Value:
    codec = _codec(args[1].as_str(), 1)
    try:
        encoded = codec.encode(args[0].as_str())[0]
    except UnicodeEncodeError:
        raise ArgumentError(
            0, f"the given string contains characters that cannot be represented in {codec.name}"
        ) from None
    return string_val(base64.b64encode(encoded).decode("ascii"))


def _textdecodebase64(args: list[Value], _: Type) -> Value:
    codec = _codec(args[1].as_str(), 1)
    text = args[0].as_str()
    try:
        raw = go_base64_decode(text)
    except (binascii.Error, ValueError):
        offset = _corrupt_base64_offset(text)
        raise ArgumentError(
            0, f"the given value is has an invalid base64 symbol at offset {offset}"
        ) from None
    try:
        decoded = codec.decode(raw)[0]
    except UnicodeDecodeError:
        decoded = "\ufffd"
    if "\ufffd" in decoded:
        raise ArgumentError(0, f"the given string contains symbols that are not defined for {codec.name}")
    return string_val(decoded)


def encoding_functions() -> dict[str, Function]:
    from kiln.lang.functions.yaml import yaml_functions

    text = [Parameter("str", STRING)]
    return {
        "base64decode": make(text, STRING, _base64decode),
        "base64encode": make(text, STRING, _base64encode),
        "base64gzip": make(text, STRING, _base64gzip),
        "csvdecode": make(text, _csvdecode_type, _csvdecode),
        "jsondecode": make(text, _jsondecode_type, _jsondecode),
        "jsonencode": make(
            [Parameter("val", DYNAMIC, allow_null=True, allow_dynamic_type=True, allow_unknown=True)],
            STRING,
            _jsonencode,
        ),
        "textdecodebase64": make(
            [Parameter("source", STRING), Parameter("encoding", STRING)], STRING, _textdecodebase64
        ),
        "textencodebase64": make(
            [Parameter("string", STRING), Parameter("encoding", STRING)], STRING, _textencodebase64
        ),
        "urlencode": make(text, STRING, _urlencode),
        **yaml_functions(),
    }
