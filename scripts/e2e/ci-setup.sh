#!/usr/bin/env bash
# Installs what the end-to-end tests need on a clean Debian machine, as root (from .ci/run):
# the Debian packages, then `npm run e2e:setup` (Node 24 + code-server into .e2e-cache/,
# skipped in seconds when already there). Run after `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/../.."

packages=(libkrb5-dev build-essential python3 pkg-config chromium fonts-dejavu-core)
if [ "$(id -u)" = 0 ]; then
  missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "e2e ci-setup: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
else
  echo "e2e ci-setup: not root; the Debian packages are only checked (npm run e2e:setup names any that are missing)." >&2
fi

npm run e2e:setup
