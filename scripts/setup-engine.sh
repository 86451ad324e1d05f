#!/usr/bin/env bash
# Builds the real Pulumi engine from the Go module proxy (no Pulumi binary can be downloaded here):
#   the CLI v3.274.1, and the Node.js language host from sdk/v3 v3.68.0 (the last sdk module that
#   carries nodejs/cmd/pulumi-language-nodejs inside it). Recipe and figures: README "Proof without
#   a cloud". Idempotent: the binaries are cached in a folder keyed by version, outside the clone,
#   so every clone (and CI's) reuses them. A failed or timed-out build fails loudly; nothing is
#   skipped.
#
#   ENGINE_CACHE   where the binaries go (default ~/.cache/clickstream-lab/pulumi-engine)
#   ENGINE_TIMEOUT the time limit of each go build, in seconds (default 3600)
#
# The language host is built into host/ and bin/ holds offline/engine/pulumi-language-nodejs in
# its place, which passes Pulumi.yaml's runtime options to that old host as flags (its comment
# says why); bin/ is where the CLI looks for its bundled plugins.
#
# Prints the bin folder on its last line.
set -euo pipefail

CLI_VERSION=v3.274.1
HOST_SDK_VERSION=v3.68.0
cache=${ENGINE_CACHE:-$HOME/.cache/clickstream-lab/pulumi-engine}
bin="$cache/cli-$CLI_VERSION-host-$HOST_SDK_VERSION/bin"
host="$cache/cli-$CLI_VERSION-host-$HOST_SDK_VERSION/host"
limit=${ENGINE_TIMEOUT:-3600}
wrapper="$(cd "$(dirname "$0")/.." && pwd)/offline/engine/pulumi-language-nodejs"

# A cache from before the wrapper holds the host itself in bin/: move it, it needs no rebuild.
if [ -x "$bin/pulumi-language-nodejs" ] && [ "$(head -c 2 "$bin/pulumi-language-nodejs")" != "#!" ]; then
  mkdir -p "$host"
  mv "$bin/pulumi-language-nodejs" "$host/pulumi-language-nodejs"
fi
# The wrapper is copied every time, so that a change to it reaches every cache.
install_wrapper() {
  cp "$wrapper" "$bin/pulumi-language-nodejs.tmp" && chmod +x "$bin/pulumi-language-nodejs.tmp"
  mv "$bin/pulumi-language-nodejs.tmp" "$bin/pulumi-language-nodejs"
}

if [ -x "$bin/pulumi" ] && [ -x "$host/pulumi-language-nodejs" ]; then
  install_wrapper
  echo "$bin"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "setup-engine: Go is needed to build the Pulumi CLI (go was not found on PATH); install Go 1.24 or newer." >&2
  exit 1
fi
mkdir -p "$bin"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GOFLAGS=-mod=mod GOTOOLCHAIN=local

# build <name> <package> <go.mod body> [ldflags]: a wrapper module that imports <package> for its
# tools, resolved from the module proxy, then `go build` of that package into <dir>/<name>.
build() {
  local dir=$1 name=$2 pkg=$3 mod=$4 ldflags=${5:-}
  mkdir -p "$work/$name" && cd "$work/$name"
  printf '%s\n' "$mod" > go.mod
  printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$pkg" > tools.go
  timeout "$limit" go mod tidy >&2
  timeout "$limit" go build -trimpath -ldflags "-s -w $ldflags" -o "$dir/$name.tmp" "$pkg" >&2
  mv "$dir/$name.tmp" "$dir/$name"
}

mkdir -p "$host"
if [ ! -x "$host/pulumi-language-nodejs" ]; then
  echo "== engine: Node.js language host (sdk/v3 $HOST_SDK_VERSION), about 1 minute" >&2
  build "$host" pulumi-language-nodejs github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs "module local/pulumihost

go 1.21

require github.com/pulumi/pulumi/sdk/v3 $HOST_SDK_VERSION

replace golang.org/x/text => golang.org/x/text v0.3.6"
fi

if [ ! -x "$bin/pulumi" ]; then
  echo "== engine: Pulumi CLI $CLI_VERSION from source; 15-30 minutes on 2 cores the first time, ~3.5 GB of Go caches" >&2
  build "$bin" pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "module local/pulumicli

go 1.24

require (
	github.com/pulumi/pulumi/pkg/v3 $CLI_VERSION
	github.com/pulumi/pulumi/sdk/v3 $CLI_VERSION
)

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e" \
    "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$CLI_VERSION"
fi
install_wrapper
"$bin/pulumi" version >&2
echo "$bin"
