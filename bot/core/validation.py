"""Checked types for the settings: a portfolio mistake is found when it is loaded, before any browser,
login or mailbox, and named (file, employer, key) instead of failing three retries later.

Each type is an `Annotated` pydantic type; its `ValueError` message is what the user reads.
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, Field

from bot.core.contributions.layout import check_employer_code

# local@domain.tld: no spaces, one @, a dot in the domain. Deliberately not RFC 5322 (nor a
# deliverability check): the point is to catch `payroll.halim.example` and `a@b`, not to judge MX records.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")


def _employer_code(value: str) -> str:
    return check_employer_code(value)


def _email(value: str) -> str:
    cleaned = value.strip()
    if not _EMAIL.match(cleaned):
        raise ValueError(f"{value!r} is not an email address (e.g. payroll@firm.my)")
    return cleaned


def _http_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{value!r} is not an http(s) URL (e.g. https://assist.perkeso.gov.my)")
    try:
        parts.port  # noqa: B018 - raises on a port out of range or not a number
    except ValueError as exc:
        raise ValueError(f"{value!r}: {exc}") from exc
    return value.strip().rstrip("/")


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"{value!r} is not a valid regular expression: {exc}") from exc
    return value


def _one_group(value: str) -> str:
    if re.compile(value).groups < 1:
        raise ValueError(f"{value!r} needs one group around the password, e.g. 'Kata Laluan\\s*:\\s*(\\S+)'")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


def _database_url(value: str | None) -> str | None:
    if value is not None and not re.match(r"^(sqlite|postgresql)(\+\w+)?://", value):
        raise ValueError("must be sqlite:///FILE or postgresql://user:password@host/db")
    return value


EmployerCode = Annotated[str, AfterValidator(_employer_code)]
Email = Annotated[str, AfterValidator(_email)]
HttpUrl = Annotated[str, AfterValidator(_http_url)]
Regex = Annotated[str, AfterValidator(_regex)]
PasswordRegex = Annotated[str, AfterValidator(_regex), AfterValidator(_one_group)]
Name = Annotated[str, AfterValidator(_not_blank)]
Port = Annotated[int, Field(ge=1, le=65535)]
Seconds = Annotated[float, Field(gt=0)]
Millis = Annotated[int, Field(gt=0)]
DatabaseUrl = Annotated[str | None, AfterValidator(_database_url)]


Problem = tuple[tuple[str | int, ...], str, Any]  # where (as pydantic's `loc`), message, the value given


def strict_booleans(data: Any, model: type[BaseModel], where: tuple[str | int, ...] = ()) -> list[Problem]:
    """The portfolio's booleans that are not TOML booleans (`tls = "no"`, `headless = 1`).
    pydantic would read "no" as False; a portfolio must say `false`.

    Only the portfolio file is walked: the environment's values are always text (`ASSIST_BROWSER__HEADLESS=false`).
    """
    problems: list[Problem] = []
    if not isinstance(data, dict):
        return problems
    for name, field in model.model_fields.items():
        if name not in data:
            continue
        value, annotation = data[name], field.annotation
        if annotation is bool or annotation == (bool | None):
            if not isinstance(value, bool) and value is not None:
                problems.append(((*where, name), "must be true or false (a TOML boolean, unquoted)", value))
            continue
        for nested in _models_in(annotation):
            if isinstance(value, list):
                for index, item in enumerate(value):
                    problems += strict_booleans(item, nested, (*where, name, index))
            else:
                problems += strict_booleans(value, nested, (*where, name))
    return problems


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models inside `Model`, `Model | None`, `list[Model]`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in getattr(annotation, "__args__", ()):
        found += _models_in(arg)
    return found


_SECRET_KEYS = re.compile(r"password|secret|token", re.IGNORECASE)


def describe(loc: tuple[str | int, ...], message: str, value: Any, data: dict[str, Any]) -> str:
    """One problem as the user reads it: the employer, the TOML table (printed literally, e.g.
    `[employers.mailbox]`), the key, what is wrong and the value given (never a secret's)."""
    parts: list[str] = []
    node: Any = data
    tables: list[str] = []
    rest = list(loc)
    if len(rest) >= 2 and rest[0] == "employers" and isinstance(rest[1], int):
        listed = data.get("employers")
        employers: list[Any] = listed if isinstance(listed, list) else []
        entry = employers[rest[1]] if rest[1] < len(employers) else {}
        name = entry.get("name") if isinstance(entry, dict) else None
        same = [e for e in employers if isinstance(e, dict) and e.get("name") == name] if name else []
        label = f"employer {name!r}" if name else "employer"
        parts.append(label if len(same) == 1 else f"{label} (#{rest[1] + 1} of [[employers]])")
        node, tables, rest = entry, ["employers"], rest[2:]
    key = ""
    for index, part in enumerate(rest):
        child = node.get(part) if isinstance(node, dict) and isinstance(part, str) else None
        if isinstance(part, int):
            key += f"[{part}]"
        elif isinstance(child, dict) or (index < len(rest) - 1 and not isinstance(rest[index + 1], int)):
            tables.append(part)
        else:
            key += part if not key else f".{part}"
        node = child
    if tables and tables != ["employers"]:
        key = f"[{'.'.join(tables)}] {key}".strip()
    who = parts[0] if parts else ""
    text = f"{who}: {key}" if who and key else who or key
    message = message.removeprefix("Value error, ")
    quiet = _SECRET_KEYS.search(key) or isinstance(value, dict | list) or value is None
    shown = "" if quiet or repr(value) in message else f" (got {value!r})"
    return f"{text}: {message}{shown}" if text else f"{message}{shown}"
