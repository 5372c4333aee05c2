#!/usr/bin/env bash
# Install what tests/test_webapp_browser.py needs: Debian's chromium and Playwright's Python
# package (its own browser download is never used: the test drives /usr/bin/chromium).
# Usage: bash scripts/install_browser.sh [VENV]   (VENV defaults to .venv)
# Exits 0 even when chromium cannot be installed: the browser test then skips with a message.
set -uo pipefail
cd "$(dirname "$0")/.."
venv="${1:-.venv}"
start=$(date +%s)
if [ -x /usr/bin/chromium ]; then
    echo "install_browser: chromium already installed"
elif command -v apt-get >/dev/null 2>&1; then
    sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo -n"; fi
    export DEBIAN_FRONTEND=noninteractive
    if $sudo apt-get update -qq >/dev/null 2>&1 \
        && $sudo apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core \
            >/dev/null 2>&1; then
        echo "install_browser: chromium installed"
    else
        echo "install_browser: could not install chromium; the browser test will be skipped"
    fi
else
    echo "install_browser: no apt-get; the browser test will be skipped"
fi
if [ -x "$venv/bin/python" ]; then
    # pinned to the version the test was written against; "playwright install" is never run
    if "$venv/bin/python" -m pip install --quiet "playwright==1.65.2"; then
        echo "install_browser: playwright installed into $venv"
    else
        echo "install_browser: could not install playwright; the browser test will be skipped"
    fi
else
    echo "install_browser: no Python at $venv/bin/python; playwright not installed"
fi
echo "install_browser: done in $(( $(date +%s) - start )) s"
exit 0
