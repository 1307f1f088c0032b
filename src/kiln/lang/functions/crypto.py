"""Hash and cryptography functions, as go-cty-funcs defines them, and the UUID functions."""

from __future__ import annotations

import binascii
import hashlib
import uuid

from kiln.lang.functions._base import ArgumentError, Function, FunctionError, Parameter, make, whole_number
from kiln.lang.functions._gotime import go_quote
from kiln.lang.functions.encoding import go_base64_decode
from kiln.lang.types import NUMBER, STRING, Type
from kiln.lang.values import Value, string_val

# Go's x/crypto/bcrypt writes the "$2a$" variant; 10 is its default cost.
_BCRYPT_DEFAULT_COST = 10


def _hash_function(algorithm: str) -> Function:
    def impl(args: list[Value], _: Type) -> Value:
        return string_val(hashlib.new(algorithm, args[0].as_str().encode()).hexdigest())

    return make([Parameter("str", STRING)], STRING, impl)


def _bcrypt(args: list[Value], _: Type) -> Value:
    import bcrypt

    cost = _BCRYPT_DEFAULT_COST
    if len(args) > 1:
        try:
            cost = whole_number(args[1])
        except ValueError as error:
            raise FunctionError(str(error)) from None
    if len(args) > 2:
        raise FunctionError("bcrypt() takes no more than two arguments")
    password = args[0].as_str().encode()
    if cost < 4:
        # Go's bcrypt quietly uses its default cost below the minimum of 4.
        cost = _BCRYPT_DEFAULT_COST
    if cost > 31:
        raise FunctionError(
            f"error occured generating password crypto/bcrypt: cost {cost} is outside allowed range (4,31)"
        )
    if len(password) > 72:
        raise FunctionError("error occured generating password bcrypt: password length exceeds 72 bytes")
    hashed = bcrypt.hashpw(password, bcrypt.gensalt(rounds=cost, prefix=b"2a"))
    return string_val(hashed.decode("ascii"))


def _rsadecrypt(args: list[Value], _: Type) -> Value:
    from cryptography.hazmat.primitives.asymmetric import padding, rsa
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    ciphertext, key_text = args[0].as_str(), args[1].as_str()
    try:
        encrypted = go_base64_decode(ciphertext)
    except (binascii.Error, ValueError):
        raise ArgumentError(
            0, f"failed to decode input {go_quote(ciphertext)}: cipher text must be base64-encoded"
        ) from None
    try:
        key = load_pem_private_key(key_text.encode(), password=None)
    except (ValueError, TypeError) as error:
        raise ArgumentError(1, f"invalid private key: {error}") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ArgumentError(1, "invalid private key: not an RSA private key")
    try:
        plain = key.decrypt(encrypted, padding.PKCS1v15())
    except ValueError:
        raise FunctionError("failed to decrypt: crypto/rsa: decryption error") from None
    return string_val(plain.decode("utf-8", errors="replace"))


_UUID_NAMESPACES = {
    "dns": uuid.NAMESPACE_DNS,
    "url": uuid.NAMESPACE_URL,
    "oid": uuid.NAMESPACE_OID,
    "x500": uuid.NAMESPACE_X500,
}


def _uuidv5(args: list[Value], _: Type) -> Value:
    namespace_text, name = args[0].as_str(), args[1].as_str()
    namespace = _UUID_NAMESPACES.get(namespace_text)
    if namespace is None:
        try:
            namespace = _parse_uuid(namespace_text)
        except ValueError as error:
            raise FunctionError(f"uuidv5() doesn't support namespace {namespace_text} ({error})") from None
    return string_val(str(uuid.uuid5(namespace, name)))


def _parse_uuid(text: str) -> uuid.UUID:
    """Parse a UUID as github.com/google/uuid's Parse, raising ValueError with its message."""
    if len(text) not in (32, 36, 38, 45):
        raise ValueError(f"invalid UUID length: {len(text)}")
    if len(text) == 45:
        if not text.lower().startswith("urn:uuid:"):
            raise ValueError(f"invalid urn prefix: {go_quote(text[:9])}")
        text = text[9:]
    try:
        return uuid.UUID(text)
    except ValueError:
        raise ValueError("invalid UUID format") from None


def crypto_functions() -> dict[str, Function]:
    return {
        "bcrypt": make([Parameter("str", STRING)], STRING, _bcrypt, var_param=Parameter("cost", NUMBER)),
        "md5": _hash_function("md5"),
        "rsadecrypt": make(
            [Parameter("ciphertext", STRING), Parameter("privatekey", STRING)], STRING, _rsadecrypt
        ),
        "sha1": _hash_function("sha1"),
        "sha256": _hash_function("sha256"),
        "sha512": _hash_function("sha512"),
        "uuidv4": make([], STRING, lambda _args, _type: string_val(str(uuid.uuid4()))),
        "uuidv5": make([Parameter("namespace", STRING), Parameter("name", STRING)], STRING, _uuidv5),
    }
