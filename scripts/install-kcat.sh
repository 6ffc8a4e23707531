#!/usr/bin/env bash
# Installs kcat (Debian package) for the Kafka interoperability test, if it is missing.
set -euo pipefail
if command -v kcat >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "kcat is missing and this machine has no apt-get: install kcat by hand" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  SUDO="sudo -n"
fi
echo "installing kcat from Debian's packages ..." >&2
$SUDO apt-get install -y --no-install-recommends kcat >&2 || { $SUDO apt-get update -q >&2 && $SUDO apt-get install -y --no-install-recommends kcat >&2; }
