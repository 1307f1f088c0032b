"""Packer's secret-store functions and `env`.

`aws_secretsmanager`, `aws_secretsmanager_raw`, `consul_key` and `vault` read secrets from
remote services in Packer. kiln reports Packer's error when the service is not configured
and does not contact any service.
"""

from __future__ import annotations

import os

from kiln.lang.functions._base import Function, FunctionError, Parameter, make
from kiln.lang.types import STRING, Type
from kiln.lang.values import Value, string_val

# TODO: read secrets once kiln has clients for these services; until then a configured
# service still fails, with this message.
_NOT_SUPPORTED = "kiln does not read secrets from {service} yet"


def _vault(args: list[Value], _: Type) -> Value:
    if not os.environ.get("VAULT_TOKEN"):
        raise FunctionError("Must set VAULT_TOKEN env var in order to use vault template function")
    raise FunctionError("Error reading vault secret: " + _NOT_SUPPORTED.format(service="Vault"))


def _consul_key(args: list[Value], _: Type) -> Value:
    raise FunctionError("error reading consul key: " + _NOT_SUPPORTED.format(service="Consul"))


def _aws_secret(args: list[Value], _: Type) -> Value:
    if not args[0].as_str():
        raise FunctionError("At least one secret name must be provided")
    raise FunctionError(_NOT_SUPPORTED.format(service="AWS Secrets Manager"))


def _env(args: list[Value], _: Type) -> Value:
    return string_val(os.environ.get(args[0].as_str(), ""))


def secret_functions() -> dict[str, Function]:
    name = Parameter("name", STRING)
    return {
        "aws_secretsmanager": make(
            [name, Parameter("key", STRING, allow_null=True)], STRING, _aws_secret, not_null=False
        ),
        "aws_secretsmanager_raw": make([name], STRING, _aws_secret, not_null=False),
        "consul_key": make([Parameter("key", STRING)], STRING, _consul_key, not_null=False),
        "vault": make([Parameter("path", STRING), Parameter("key", STRING)], STRING, _vault, not_null=False),
    }


def env_function() -> Function:
    """Return `env(name)`, which reads an environment variable ("" when unset)."""
    return make([Parameter("key", STRING)], STRING, _env)
