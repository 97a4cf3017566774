#!/usr/bin/env bash
# Electron security audit (doyensec electronegativity) of the desktop app: main, preload and the renderer
# (index.html with its CSP, and the sources). Fails on any HIGH-severity finding; prints every finding.
# Global checks (CSP, navigation limits, permission handler) need the whole app in one scan, so the three
# parts are staged into one temporary directory. No network needed (the tool's release lookup may fail).
set -euo pipefail
cd "$(dirname "$0")/.."

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/app"
cp -r electron/main electron/preload "$stage/app/"
mkdir -p "$stage/app/renderer"
cp renderer/index.html "$stage/app/renderer/"
cp -r renderer/src "$stage/app/renderer/"
# The app's Electron version, so the checks use its defaults.
version="$(node -p "require('./node_modules/electron/package.json').version")"
report="$stage/report.csv"

npx --no-install electronegativity -i "$stage/app" -r -v false -e "$version" -o "$report" >/dev/null 2>"$stage/stderr" || {
  cat "$stage/stderr" >&2
  echo "electronegativity failed to run" >&2
  exit 2
}

echo "electronegativity $(npx --no-install electronegativity -V 2>/dev/null | tail -1) on Electron $version:"
if [ "$(wc -l <"$report")" -le 1 ]; then
  echo "  no findings"
else
  tail -n +2 "$report" | awk -F',' '{ gsub(/"/, "", $2); gsub(/"/, "", $3); printf "  %-6s %-9s %-34s %s:%s\n", $2, $3, $1, $4, $5 }'
fi
high="$(tail -n +2 "$report" | awk -F',' '$2 == "\"HIGH\"" { n++ } END { print n + 0 }')"
if [ "$high" -gt 0 ]; then
  echo "FAIL: $high high-severity finding(s)" >&2
  exit 1
fi
echo "OK: no high-severity findings"
