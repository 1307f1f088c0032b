"""IP network functions: cidrhost, cidrnetmask, cidrsubnet and cidrsubnets (go-cty-funcs).

Prefixes are parsed as Go's net.ParseCIDR does, so the host bits of the address are ignored
and IPv4 addresses with leading zeros are rejected.
"""

from __future__ import annotations

import ipaddress
from ipaddress import IPv4Network, IPv6Network

from kiln.lang.functions._base import ArgumentError, Function, FunctionError, Parameter, make, whole_number
from kiln.lang.types import NUMBER, STRING, ListType, Type
from kiln.lang.values import Value, list_val, list_val_empty, string_val

Network = IPv4Network | IPv6Network


def parse_cidr(text: str) -> Network:
    """Parse a prefix as Go's net.ParseCIDR, raising ValueError with Go's message."""
    invalid = ValueError(f"invalid CIDR address: {text}")
    address, _, length = text.partition("/")
    if not length.isdigit() or (length != "0" and length.startswith("0")):
        raise invalid
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        raise invalid from None
    try:
        return ipaddress.ip_network(f"{parsed}/{int(length)}", strict=False)
    except ValueError:
        raise invalid from None


def _parse_prefix(value: Value, index: int | None) -> Network:
    try:
        return parse_cidr(value.as_str())
    except ValueError as error:
        message = f"invalid CIDR expression: {error}"
        raise (ArgumentError(index, message) if index is not None else FunctionError(message)) from None


def _integer(value: Value, index: int | None = None) -> int:
    try:
        return whole_number(value)
    except ValueError as error:
        raise (ArgumentError(index, str(error)) if index is not None else FunctionError(str(error))) from None


def _cidrhost(args: list[Value], _: Type) -> Value:
    host = _integer(args[1])
    network = _parse_prefix(args[0], None)
    host_bits = network.max_prefixlen - network.prefixlen
    max_host = (1 << host_bits) - 1
    # go-cidr counts a negative host number back from the end of the range, and its error
    # shows the number after that adjustment.
    number = host if host >= 0 else max_host + 1 + host
    if number > max_host or number < 0:
        raise FunctionError(f"prefix of {network.prefixlen} does not accommodate a host numbered {number}")
    return string_val(str(network.network_address + number))


def _cidrnetmask(args: list[Value], _: Type) -> Value:
    network = _parse_prefix(args[0], None)
    return string_val(str(network.netmask))


def subnet(network: Network, new_bits: int, number: int) -> Network:
    """Return subnet `number` of `network` extended by `new_bits`, as go-cidr's Subnet."""
    new_length = network.prefixlen + new_bits
    if new_length > network.max_prefixlen:
        raise FunctionError(
            f"insufficient address space to extend prefix of {network.prefixlen} by {new_bits}"
        )
    if number < 0 or number > (1 << new_bits) - 1:
        raise FunctionError(f"prefix extension of {new_bits} does not accommodate a subnet numbered {number}")
    start = int(network.network_address) + (number << (network.max_prefixlen - new_length))
    return ipaddress.ip_network((start, new_length))


def _cidrsubnet(args: list[Value], _: Type) -> Value:
    new_bits = _integer(args[1])
    number = _integer(args[2])
    network = _parse_prefix(args[0], None)
    if new_bits > 32:
        raise FunctionError("may not extend prefix by more than 32 bits")
    return string_val(str(subnet(network, new_bits, number)))


def _cidrsubnets(args: list[Value], _: Type) -> Value:
    network = _parse_prefix(args[0], 0)
    if len(args) == 1:
        return list_val_empty(STRING)
    results = []
    next_start = int(network.network_address)
    previous = None
    for index, arg in enumerate(args[1:], start=1):
        extension = _integer(arg, index)
        if extension < 1:
            raise ArgumentError(index, "must extend prefix by at least one bit")
        if extension > 32:
            raise ArgumentError(index, "may not extend prefix by more than 32 bits")
        length = network.prefixlen + extension
        if length > network.max_prefixlen:
            protocol = "IPv4" if network.version == 4 else "IPv6"
            raise ArgumentError(
                index, f"would extend prefix to {length} bits, which is too long for an {protocol} address"
            )
        size = 1 << (network.max_prefixlen - length)
        start = -(-next_start // size) * size
        end = int(network.broadcast_address)
        if start + size - 1 > end:
            after = previous or ipaddress.ip_network((int(network.network_address), length))
            raise ArgumentError(
                index,
                f"not enough remaining address space for a subnet with a prefix of {length} bits after {after}",
            )
        current = ipaddress.ip_network((start, length))
        results.append(string_val(str(current)))
        previous = current
        next_start = start + size
    return list_val(results)


def network_functions() -> dict[str, Function]:
    prefix = Parameter("prefix", STRING)
    return {
        "cidrhost": make([prefix, Parameter("hostnum", NUMBER)], STRING, _cidrhost),
        "cidrnetmask": make([prefix], STRING, _cidrnetmask),
        "cidrsubnet": make(
            [prefix, Parameter("newbits", NUMBER), Parameter("netnum", NUMBER)], STRING, _cidrsubnet
        ),
        "cidrsubnets": make([prefix], ListType(STRING), _cidrsubnets, var_param=Parameter("newbits", NUMBER)),
    }
