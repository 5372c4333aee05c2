"""The one table writer of the package (a leaf utility, like :mod:`model.atomic`): every
Markdown table of a report or a generated document, and every text table of the terminal.

- :func:`markdown_table`: a GitHub pipe table, one line per row with no padding
  (``| a | b |`` under ``|---|---|``), so that a generated document changes only in the
  rows whose values change, and a ``|`` inside a cell is escaped.
- :func:`text_table`: the same rows as a plain-text table laid out by rich (no colour, never
  wrapped), for files, pipes and logs.
- :func:`print_table`: the table on standard output: a rich table fitted to the terminal
  when it is one, else :func:`text_table`.

rich is imported only when a text table is made.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence

_NUMBER = re.compile(r"^[-+−]?[\d.,]+(%|/\d+)?( \[.*\]| \(.*\))?( ✗)?$|^[–-]$")


def _cell(value) -> str:
    return "" if value is None else str(value)


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence]) -> str:
    """A Markdown pipe table, without a final newline: a header line, ``|---|`` per column,
    one line per row. A ``|`` in a cell is escaped so that it does not split the cell."""
    def line(cells) -> str:
        return "| " + " | ".join(_cell(c).replace("|", "\\|").replace("\\\\|", "\\|")
                                 for c in cells) + " |"
    return "\n".join([line(headers), "|" + "---|" * len(headers),
                      *(line(r) for r in rows)])


def _numeric(column: Sequence[str]) -> bool:
    cells = [c for c in column if c]
    return bool(cells) and all(_NUMBER.match(c) for c in cells)


def rich_table(headers: Sequence[str], rows: Sequence[Sequence], *, title: str | None = None):
    """A ``rich.table.Table`` of the rows: a ruled header, no borders, numeric columns
    right-aligned."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    texts = [[_cell(c) for c in r] for r in rows]
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", pad_edge=False,
                  show_edge=False, header_style="bold")
    for k, h in enumerate(headers):
        right = _numeric([r[k] for r in texts if k < len(r)])
        table.add_column(Text(str(h)), justify="right" if right else "left",
                         overflow="fold")
    for r in texts:  # cells are text, never rich markup: "[never, never]" prints as it is
        table.add_row(*(Text(c) for c in r))
    return table


def text_table(headers: Sequence[str], rows: Sequence[Sequence], *,
               title: str | None = None) -> str:
    """The rows as plain text laid out by rich, as wide as they need (never wrapped), with
    no trailing spaces."""
    import io

    from rich.console import Console

    table = rich_table(headers, rows, title=title)
    probe = Console(width=100_000, color_system=None, file=io.StringIO())
    width = probe.measure(table).maximum
    out = io.StringIO()
    Console(width=max(width, 1), color_system=None, file=out, force_terminal=False,
            legacy_windows=False).print(table)
    return "\n".join(line.rstrip() for line in out.getvalue().strip("\n").split("\n"))


def print_table(headers: Sequence[str], rows: Sequence[Sequence], *,
                title: str | None = None) -> None:
    """Print the rows: a rich table fitted to the terminal, or :func:`text_table` when
    standard output is a file or a pipe."""
    if sys.stdout.isatty():
        from rich.console import Console

        Console().print(rich_table(headers, rows, title=title))
    else:
        print(text_table(headers, rows, title=title), flush=True)
