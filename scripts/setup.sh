#!/usr/bin/env bash
# `npm run setup`: what the tests need beyond node_modules, installed into this clone only:
#   .venv/         moto's local AWS endpoint (Python, from PyPI)
#   analytics/     the Flink job's JAR, built by the Maven wrapper (needs a JDK 11+)
#   chromium       Debian's package, for the browser test of npm start's live page (test/local/page.test.ts)
set -euo pipefail
cd "$(dirname "$0")/.."

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
