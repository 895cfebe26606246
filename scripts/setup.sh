#!/usr/bin/env bash
# Sets up a fresh checkout: Python virtual environment, the package and its test tools, the
# npm packages the site self-hosts, and Debian's Chromium for the browser tests.
# Safe to run again; it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
if command -v npm >/dev/null 2>&1; then
  npm ci --no-audit --no-fund --loglevel=error
fi
# Debian's Chromium for the browser tests (never a browser downloaded by a test tool).
# Optional: if apt fails (its lock held by another process, no network...), say so and go on;
# everything but the browser tests works without it.
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
  if [ "$(id -u)" = "0" ] || [ -n "$SUDO" ]; then
    if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null; }; then
      echo "setup.sh: không cài được Chromium (apt lỗi, xem ở trên); bỏ qua, chỉ các kiểm thử trình duyệt cần nó." >&2
      echo "setup.sh: could not install Chromium (apt failed, see above); skipped, only the browser tests need it." >&2
    fi
  fi
fi
echo "setup.sh: xong / done."
