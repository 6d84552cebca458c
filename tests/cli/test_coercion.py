"""Option values coerced without pydantic come out exactly as typer's own coercion gives them."""

from __future__ import annotations

import pytest
import typer.main

from revue2md.cli import coercion
from revue2md.cli.app import app

pytestmark = pytest.mark.skipif(coercion.RuntimeParam is None, reason="this typer coerces values its own way")

_TEXT = ("", "0", "1", "2", "-1", " 3", "3 ", "1.5", "0.0", "1e3", "1_000", "٣", "nan", "inf", "abc", "/tmp",
         "a/b", ".", "-", "HUMAN", "json", "flat", "bundle", "keep", "download", "auto", "never", "always",
         "path", "relref", "off", "x-shortcode", "none", "filename", "alt", "remote")


def _outcome(runtime, value, param, ctx):
    try:
        result = runtime.coerce(value, param=param, ctx=ctx)
    except Exception as error:
        return "error", type(error).__name__, str(error)
    return "value", type(result).__name__, repr(result)


def _parameters():
    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        for param in command.params:
            if isinstance(param, coercion._TyperParameter):
                yield name, command, param


@pytest.mark.parametrize(("name", "command", "param"), list(_parameters()),
                         ids=lambda value: value if isinstance(value, str) else "")
def test_every_option_value_coerces_as_typer_does(name, command, param):
    from typer._click import Context
    from typer._coercion import build_runtime_param

    ctx = Context(command, info_name=name)
    descriptor = param.type_descriptor
    own = build_runtime_param(descriptor)
    plain = coercion._PlainParam(parameter_info=descriptor.parameter_info, annotation=descriptor.annotation)
    values = [param.default, *_TEXT, 0, 1, 20, 2.5]
    if param.multiple or param.nargs == -1:
        values = [(), [], ("a", "b"), *[(text,) for text in _TEXT], ("1", "x")]
    for value in values:
        assert _outcome(plain, value, param, ctx) == _outcome(own, value, param, ctx), (param.name, value)


def test_a_command_coerces_its_options_without_pydantic(cli, tmp_path):
    group = typer.main.get_command(app)
    command = group.commands["export"]
    ctx = command.make_context("export", ["x.json", "--out", str(tmp_path), "--jobs", "3", "--layout", "flat"])
    assert ctx.params["jobs"] == 3 and ctx.params["layout"].value == "flat"
    assert all(isinstance(param._runtime_param, coercion._PlainParam)
               for param in command.params if isinstance(param, coercion._TyperParameter))
