"""The command line starts light: ``import model.cli.main`` (all that ``troika --help`` and
``troika --version`` need) loads none of the heavy libraries; each command imports them when
it runs. Checked on ``sys.modules`` in a fresh process, not by timing."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = ("matplotlib", "pandas", "scipy", "SALib", "dask", "mesa", "solara", "numpy",
         "pyarrow")


def loaded_after(code: str, heavy=HEAVY) -> list[str]:
    probe = (f"{code}\nimport sys, json\n"
             f"print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))")
    res = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=120, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def test_importing_the_command_line_loads_no_heavy_module():
    assert loaded_after("import model.cli.main", (*HEAVY, "pydantic")) == []


def test_help_and_version_load_no_heavy_module():
    """(typer itself imports pydantic to render a command's help, when it is installed.)"""
    code = ("import sys\nfrom model.cli.main import main\n"
            "for args in (['--help'], ['--version'], ['run', '--help']):\n"
            "    try:\n        main(args)\n    except SystemExit:\n        pass")
    assert loaded_after(code) == []


def test_a_command_still_finds_what_it_needs(tmp_path):
    res = subprocess.run([sys.executable, "-m", "model.cli.main", "scenarios"],
                         capture_output=True, text=True, timeout=120, check=False,
                         cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "example_triad/triad" in res.stdout


def test_version(tmp_path):
    res = subprocess.run([sys.executable, "-m", "model.cli.main", "--version"],
                         capture_output=True, text=True, timeout=120, check=False)
    assert res.returncode == 0
    assert res.stdout.startswith("troika ") and res.stdout.strip() != "troika"


def test_output_folders_follow_the_umask(tmp_path):
    """``run`` (written through a temporary folder) and ``ensemble`` make their folders with
    the same mode, 0777 less the umask."""
    code = ("import os, sys\nos.umask(int(sys.argv[1], 8))\n"
            "from model.cli.main import main\nmain(sys.argv[2:])")
    modes = {}
    for umask in ("022", "027"):
        for cmd in (["run", "example_triad/triad", "--out", f"run{umask}"],
                    ["ensemble", "example_triad/triad", "--runs", "1", "--workers", "1",
                     "--out", f"ens{umask}"]):
            res = subprocess.run([sys.executable, "-c", code, umask, *cmd], cwd=tmp_path,
                                 capture_output=True, text=True, timeout=300, check=False)
            assert res.returncode == 0, res.stderr
            modes[cmd[-1]] = oct(os.stat(tmp_path / cmd[-1]).st_mode & 0o777)
    assert modes == {"run022": "0o755", "ens022": "0o755", "run027": "0o750",
                     "ens027": "0o750"}
