#!/usr/bin/env bash
# `npm run setup` (npm test runs it first; every step is skipped when already done): what the tests
# need beyond node_modules:
#   .venv/         moto's local AWS endpoint (Python, from PyPI), in this clone
#   chromium       Debian's package, for the browser test of npm start's live page (test/local/page.integration.test.ts)
#   analytics/     the Flink job's JAR, built by the Maven wrapper (needs a JDK 11+)
#   the engine     the Pulumi CLI and Node.js language host built from Go sources, cached in
#                  ~/.cache/clickstream-lab (scripts/setup-engine.sh: 15-30 min and ~3.5 GB the first time)
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian keeps the venv module in its own package; install it only where it is missing.
if ! python3 -c "import ensurepip, venv" 2>/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  else
    echo "moto needs Python's venv module: apt-get install python3-venv (as root)." >&2
    exit 1
  fi
fi
if [ ! -x .venv/bin/moto_server ]; then
  echo "== python: moto into .venv"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements-test.txt
fi

# The page test drives a real browser; puppeteer-core downloads none, it takes Debian's (or $CHROMIUM).
if [ -z "${CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== apt: chromium (headless, for the live page's browser test)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The live page's browser test needs Chromium: apt-get install chromium (as root), or set CHROMIUM to a Chromium binary." >&2
    exit 1
  fi
fi

if ! command -v java >/dev/null 2>&1; then
  echo "The Flink job needs a JDK 11 or newer (java was not found on PATH): install one, e.g. apt-get install openjdk-17-jdk-headless." >&2
  exit 1
fi
echo "== java: the Flink job's JAR (analytics/target), via the Maven wrapper"
(cd analytics && ./mvnw -q -B package -DskipTests)

echo "== go: the real Pulumi engine (CLI + Node.js language host), cached outside the clone"
bash scripts/setup-engine.sh >/dev/null
