"""The README's option tables, made from the commands' own `--help` records (run by `cog -r README.md`).

Each row comes from the option's help record, the pair `--help` prints, so a table says what
`revue2md COMMAND --help` says, whatever the terminal's width.
"""

from __future__ import annotations

import inspect
import re

import typer

from revue2md.cli.app import app
from revue2md.cli.options import source_parameters

_EXTRA = re.compile(r"\s+\[([^\[\]]*)\]$")
_ESCAPE = str.maketrans({"|": r"\|", "<": r"\<", "*": r"\*"})


def _command(name: str):
    return typer.main.get_command(app).commands[name]


def _rows(name: str) -> list[tuple[str, tuple[str, str, str, str]]]:
    """(option name, (option, value, what it does, default)) for each option of the command but --help."""
    command = _command(name)
    ctx = command.context_class(command, info_name=name)
    rows = []
    for param in command.params:
        if param.param_type_name != "option" or param.hidden:
            continue
        names, text = param.get_help_record(ctx)
        last = names.split(", ")[-1]
        value = last.split(" ", 1)[1].removeprefix("<").removesuffix(">") if " " in last else ""
        parts = []
        if extra := _EXTRA.search(text):
            text = text[: extra.start()]
            for part in extra.group(1).split("; "):
                if part.startswith("default: "):
                    parts.insert(0, f"`{part.removeprefix('default: ')}`")
                elif part.startswith("env var: "):
                    parts.append(f"env `{part.removeprefix('env var: ')}`")
                elif part == "required":
                    parts.insert(0, "(required)")
                else:  # a range such as x>=1
                    value = f"{value} ({part})"
        default = ", ".join(parts)
        if not default and param.is_flag:
            default = "on" if param.default else "off"
        longs = [o for o in param.opts if o.startswith("--")] + [o for o in param.opts if not o.startswith("--")]
        option = ", ".join(f"`{o}`" for o in longs + list(param.secondary_opts))
        value = f"`{value}`".replace("|", r"\|") if value else ""
        cells = (option, value, text.translate(_ESCAPE), default.replace("|", r"\|"))
        rows.append((longs[0], cells))
    return rows


def options(name: str) -> list[str]:
    """The command's option names (the long ones), in `--help` order."""
    return [option for option, _ in _rows(name)]


def source_options() -> list[str]:
    """The options that reach and choose sources, which the README describes with each source."""
    names = set(inspect.signature(source_parameters).parameters)
    return [params.opts[0] for params in _command("list").params if params.name in names]


def options_table(name: str, only: list[str] | None = None, skip: list[str] | None = None,
                  besides: str | None = None) -> str:
    """A markdown table of the command's options: all of them, `only` those, or all but `skip`.

    With `besides`, options that the other command has with the same help are left out of the
    table and named in a sentence after it instead.
    """
    shared = dict(_rows(besides)) if besides else {}
    rows, same = [], []
    for option, cells in _rows(name):
        if (only is not None and option not in only) or (skip and option in skip):
            continue
        if shared.get(option) == cells:
            same.append(option)
        else:
            rows.append(cells)
    lines = []
    if rows:
        lines += ["| option | value | what it does | default |", "|---|---|---|---|"]
        lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    if same:
        if lines:
            lines.append("")
        lines.append(f"Also these options of `revue2md {besides}`, which mean the same here: "
                     + ", ".join(f"`{o}`" for o in same) + ".")
    return "\n".join(lines)
