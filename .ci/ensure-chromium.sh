#!/usr/bin/env bash
# Installs Debian's chromium when it is missing (the HTML report test opens reports in it headless).
# Prints the browser's path. Needs root (or passwordless sudo) and apt-get; says so when it cannot.
set -euo pipefail
for b in chromium chromium-browser; do
  if command -v "$b" >/dev/null 2>&1; then command -v "$b"; exit 0; fi
done
if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium is missing and this is not a Debian-like system: install Chromium and put it on PATH" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    echo "chromium is missing: run 'sudo apt-get install -y chromium' (needs root)" >&2; exit 1
  fi
fi
echo "installing Debian's chromium for the HTML report test..." >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
$sudo apt-get install -y -qq --no-install-recommends chromium >&2
command -v chromium
