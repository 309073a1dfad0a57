#!/usr/bin/env bash
# Runs the README's quick start as a new user would: its first command, word for word from README.md,
# in a fresh clone of this repository (no ../shared beside it), with only the machine's own Node.js on
# PATH (no /opt/node24), then checks that the output names the sample's incidents. `--test` also runs
# the second command (npm test) there. Leaves nothing behind, npm's npx cache entry included.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
readme_commands() { awk '/^## Quick start/{q=1} q&&/^```sh/{b=1;next} b&&/^```/{exit} b' "$repo/README.md"; }
first=$(readme_commands | sed -n 1p)
second=$(readme_commands | sed -n 2p)
[ -n "$first" ] || { echo "quick start: no sh block under '## Quick start' in README.md"; exit 1; }

work=$(mktemp -d)
clone="$work/fivexx"
cleanup() {
  # npx links the clone into npm's cache as _npx/<first 16 hex of sha512(path)>: remove that entry too.
  local cache entry
  cache=$(npm config get cache 2>/dev/null || true)
  entry="$cache/_npx/$(printf %s "$clone" | sha512sum | cut -c1-16)"
  if [ -n "$cache" ] && [ -L "$entry/node_modules/fivexx" ]; then rm -rf "$entry"; fi
  rm -rf "$work"
}
trap cleanup EXIT

git clone -q "$repo" "$clone"
cd "$clone"
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
echo "quick start: in a fresh clone ($clone), node $(node --version) at $(command -v node), npm $(npm --version)"
echo "quick start: \$ $first"
set +e
bash -c "$first" >"$work/out" 2>"$work/err"
rc=$?
set -e
bin_node=$(node_modules/.bin/node --version 2>/dev/null || echo none)
fail() { echo "quick start: FAILED: $1"; echo "--- stdout"; cat "$work/out"; echo "--- stderr"; tail -40 "$work/err"; exit 1; }
[ "$rc" = 1 ] || fail "exit status $rc, not 1 (incidents found)"
grep -q '^fivexx analyze: 2 incident(s)' "$work/out" || fail "the summary line does not say 2 incidents"
grep -q '^1\. app\.exception ' "$work/out" || fail "no app.exception incident"
grep -q '^2\. upstream\.refused ' "$work/out" || fail "no upstream.refused incident"
case "$bin_node" in v24.*) ;; *) fail "node_modules/.bin/node is $bin_node, not Node.js 24" ;; esac
echo "quick start: ok: exit 1, 2 incidents (app.exception, upstream.refused), built and run on node_modules/.bin/node $bin_node"

if [ "${1:-}" = --test ]; then
  echo "quick start: \$ $second"
  bash -c "$second"
fi
