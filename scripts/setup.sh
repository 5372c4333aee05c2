#!/usr/bin/env bash
# Create .venv with Python 3.12 (Mesa 3.5 needs >= 3.12) and install troika into it (editable).
#   bash scripts/setup.sh         the user set-up: the package, the analysis commands, the
#                                 notebooks (with JupyterLab) and the browser app
#   bash scripts/setup.sh --dev   the developers' set-up: the same code (less JupyterLab)
#                                 and the test extras (pytest, hypothesis, ruff, nbmake,
#                                 playwright, dask, pyarrow)
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
    "") extras="user" ;;
    --dev) extras="test" ;;
    *) echo "usage: bash scripts/setup.sh [--dev]" >&2; exit 2 ;;
esac
find_python() {
    for cand in python3.12 "$(command -v pyenv >/dev/null 2>&1 && pyenv root)/versions/3.12"*/bin/python3.12 /usr/bin/python3.12 /usr/local/bin/python3.12; do
        if [ -n "$cand" ] && "$cand" -c 'import sys; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1; then
            echo "$cand"; return 0
        fi
    done
    # pyenv shims refuse python3.12 unless the version is selected: ask pyenv directly
    if command -v pyenv >/dev/null 2>&1; then
        v=$(pyenv versions --bare | grep -E '^3\.12' | tail -n 1)
        if [ -n "$v" ]; then echo "$(pyenv root)/versions/$v/bin/python3.12"; return 0; fi
    fi
    echo "setup: no Python 3.12 found (Mesa 3.5 needs Python >= 3.12)" >&2
    return 1
}
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; assert sys.version_info[:2] >= (3, 12)' 2>/dev/null; then
    py=$(find_python)
    rm -rf .venv
    "$py" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[$extras]"
