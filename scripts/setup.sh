#!/usr/bin/env bash
# Set up precert-intake on Debian/Ubuntu: system packages, a virtualenv in .venv, the package.
#   scripts/setup.sh          service dependencies
#   scripts/setup.sh --test   plus what the test suite needs (Chromium for the web UI tests)
# apt-get needs root: run as root, or as a user with sudo. Without either, install by hand:
#   tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd python3-venv (and chromium, qpdf for tests)
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=0
[ "${1:-}" = "--test" ] && with_tests=1

packages=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd python3-venv)
[ "$with_tests" = 1 ] && packages+=(chromium qpdf)  # qpdf: the packet tests run `qpdf --check`

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
if [ "$with_tests" = 1 ]; then
  .venv/bin/python -m pip install -q -e ".[test]"
else
  .venv/bin/python -m pip install -q -e .
fi
echo "setup done: $(.venv/bin/precert --help >/dev/null && echo 'precert installed in .venv')"
