"""Regenerate the parameter table of docs/model.md from the fields of Parameters.

Usage: .venv/bin/python scripts/parameter_table.py [DOC]   (default: docs/model.md)
"""

from __future__ import annotations

import sys
from pathlib import Path

from model.views.docs_tables import MODEL_DOC, write_parameter_table


def main(argv: list[str]) -> int:
    """Splice the table into the document; one line on stdout, exit 1 on a missing marker."""
    path = Path(argv[0]) if argv else MODEL_DOC
    try:
        changed = write_parameter_table(path)
    except (OSError, ValueError) as exc:
        print(f"{path}: {exc}", file=sys.stderr)
        return 1
    print(f"parameter table {'rewritten' if changed else 'unchanged'} in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
