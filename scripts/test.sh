#!/usr/bin/env bash
# `npm test`: lint (incl. the import layers), build, then every test — under a private D-Bus session with an
# unlocked gnome-keyring so the keychain tests talk to a real Secret Service. Needs the packages listed in
# the README (gnome-keyring dbus dbus-x11 libsecret-tools chromium); .ci/run installs them.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${STREAM_DEBUGGER_IN_KEYRING_SESSION:-}" ] && command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  export STREAM_DEBUGGER_IN_KEYRING_SESSION=1
  # A throwaway keyring in a temp dir: tests never touch the user's real keychain. D-Bus starts it on first
  # use, unlocked, and again should it crash (scripts/keyring-bus.sh says why).
  STREAM_DEBUGGER_KEYRING_BUS="$(mktemp -d)"
  export STREAM_DEBUGGER_KEYRING_BUS XDG_DATA_HOME="$STREAM_DEBUGGER_KEYRING_BUS/data"
  bash scripts/keyring-bus.sh "$STREAM_DEBUGGER_KEYRING_BUS"
  exec dbus-run-session --config-file="$STREAM_DEBUGGER_KEYRING_BUS/session.conf" -- bash scripts/test.sh "$@"
fi

if [ -z "${STREAM_DEBUGGER_IN_KEYRING_SESSION:-}" ]; then
  echo "warning: dbus-run-session or gnome-keyring-daemon missing: keychain tests will report the keychain as unavailable." >&2
  echo "         install them with: sudo apt-get install -y gnome-keyring dbus dbus-x11 libsecret-tools" >&2
fi

echo "== official Cognigy clients (tests/compat)" >&2
# Installed apart from the root so that `npm install` pulls in nothing whose engines contradict ours.
if ! cmp -s tests/compat/package-lock.json tests/compat/node_modules/.installed-from-lock 2>/dev/null; then
  npm ci --prefix tests/compat --no-audit --no-fund --loglevel=error
  cp tests/compat/package-lock.json tests/compat/node_modules/.installed-from-lock
fi

echo "== lint" >&2
npx eslint .
npx tsc -p tsconfig.json --noEmit
echo "== electron security audit" >&2
bash scripts/electronegativity.sh
echo "== build" >&2
npx electron-vite build >/dev/null
npx vite build --config vite.cli.config.ts --logLevel warn
echo "== tests" >&2
mkdir -p test-artifacts
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-artifacts/vitest.json "$@" || status=$?
# One plain closing line CI systems read: "N passed, N failed".
starts="$(wc -l <"${STREAM_DEBUGGER_KEYRING_BUS:-/nonexistent}/starts.log" 2>/dev/null || echo 0)"
if [ "$starts" -gt 1 ]; then
  # Not hidden: the keyring daemon the tests ran against died and D-Bus started it again.
  echo "note: gnome-keyring stopped during the tests and was started again ($starts starts; scripts/keyring-bus.sh). Its output:" >&2
  cat "$STREAM_DEBUGGER_KEYRING_BUS/keyring.log" >&2
fi
node -e '
  const r = require("./test-artifacts/vitest.json");
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' || true
exit $status
