#!/usr/bin/env bash
# Builds the Benthos binary the peer comparison runs against: github.com/redpanda-data/benthos/v4 at the exact version
# in benthos/go.mod (the open-source core with its pure and io components). Needs the Go toolchain and the Go module
# proxy; a few minutes on 2 cores the first time. Output: $BENTHOS_BIN, or ~/.cache/jogg-bridge-bench/benthos
# (outside the repository).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${BENTHOS_BIN:-$HOME/.cache/jogg-bridge-bench/benthos}
[ -x "$out" ] && { echo "$out"; exit 0; }
command -v go >/dev/null || { echo "go is not installed: cannot build Benthos" >&2; exit 3; }
mkdir -p "$(dirname "$out")"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cp "$here"/benthos/main.go "$here"/benthos/go.mod "$here"/benthos/go.sum "$work"/
(cd "$work" && go build -o "$out.tmp" . && mv "$out.tmp" "$out")
echo "$out"
