"""Typer's coercion of option values, without loading pydantic for the values revue2md's options take.

Typer 0.29 turns every value it parses (a default too) into its parameter's type through a
pydantic `TypeAdapter`, built when the value is first coerced: importing pydantic costs about
80 ms, on every command. The values revue2md's options take (text, whole and decimal numbers,
paths, a word among fixed choices, lists of text) are converted here exactly as those adapters
convert them, by typer's own helpers where it has them; any other value (a number out of range,
a word that is not a choice, an unusual spelling) goes to typer's own coercion, so its error
message is typer's. When typer is a version without this machinery, nothing is changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import typer.core

try:
    from typer._coercion import RuntimeParam, build_runtime_param
    from typer._param_types import coerce_cli_choice, coerce_cli_path
    from typer.core import _TyperParameter
except ImportError:  # another typer: it coerces values its own way
    RuntimeParam = None

_WHOLE = re.compile(r"[0-9]{1,18}")
_DECIMAL = re.compile(r"[0-9]{1,15}(?:\.[0-9]{1,15})?")
_UNSURE = object()


def _plain(annotation: Any, info: Any, value: Any, param: Any, ctx: Any) -> Any:
    """`value` as typer's adapter for `annotation` gives it, or _UNSURE."""
    if info.parser is not None:
        return info.parser(value)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        try:
            return coerce_cli_choice(value, choices=tuple(annotation), case_sensitive=info.case_sensitive, ctx=ctx)
        except ValueError:
            return _UNSURE
    if annotation is str:
        return value if isinstance(value, str) else _UNSURE
    if annotation is int or annotation is float:
        return _number(annotation, info, value)
    if annotation is Path and info.path_type is None:
        if isinstance(value, str) and value:
            value = Path(value)
        if not isinstance(value, Path):
            return _UNSURE
        return coerce_cli_path(value, info, path_type=Path, param=param, ctx=ctx)
    return _UNSURE


def _number(kind: type, info: Any, value: Any) -> Any:
    if info.clamp or info.max is not None:
        return _UNSURE
    if isinstance(value, str):
        if not (_WHOLE if kind is int else _DECIMAL).fullmatch(value):
            return _UNSURE
        value = kind(value)
    elif isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and isinstance(value, float)):
        return _UNSURE
    else:
        value = kind(value)
    if info.min is not None and value < info.min:
        return _UNSURE
    return value


if RuntimeParam is not None:

    @dataclass(frozen=True)
    class _PlainParam(RuntimeParam):
        """Coerces the plain values itself; anything else goes to typer's own (pydantic) coercion."""

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            annotation = self.annotation
            if getattr(annotation, "__origin__", None) is list:
                item = annotation.__args__[0]
                items = list(value) if isinstance(value, (list, tuple)) else [value]
                coerced = [_plain(item, self.parameter_info, one, param, ctx) for one in items]
                if _UNSURE not in coerced:
                    return coerced
            else:
                coerced = _plain(annotation, self.parameter_info, value, param, ctx)
                if coerced is not _UNSURE:
                    return coerced
            return build_runtime_param(param.type_descriptor)._coerce_value(value, param=param, ctx=ctx)


def plain_coercion(params: list) -> None:
    """Give each typer parameter the coercion above, unless it already has one."""
    if RuntimeParam is None:
        return
    for param in params:
        if isinstance(param, _TyperParameter) and getattr(param, "_runtime_param", "") is None:
            descriptor = param.type_descriptor
            if descriptor.file_annotation is None:
                param._runtime_param = _PlainParam(descriptor.parameter_info, descriptor.annotation)


class Command(typer.core.TyperCommand):
    """A typer command whose options are coerced by `plain_coercion`."""

    def parse_args(self, ctx, args):
        plain_coercion(self.get_params(ctx))
        return super().parse_args(ctx, args)


class Group(typer.core.TyperGroup):
    """The command group, coerced the same way."""

    def parse_args(self, ctx, args):
        plain_coercion(self.get_params(ctx))
        return super().parse_args(ctx, args)
