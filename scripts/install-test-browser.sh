#!/usr/bin/env bash
# The browser the Playground's end-to-end tests drive: Debian's Chromium (Playwright's own browser download
# does not work on machines without general internet access). A no-op when it is already installed.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-test-browser: no apt-get here. Install Chromium yourself and set NEURONA_CHROMIUM to its path." >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
command -v chromium
