#!/usr/bin/env bash
# One command for the window tests: builds/reuses the GUI root, runs the scenario in a real Blender window,
# asserts on what it observed, and refreshes tests/gui/screenshots/ (PNG8 copies + measurements.txt).
#
#   tests/gui/run_window_tests.sh [pytest args...]
#   GOTCHA_GUI_ROOT=/elsewhere/root tests/gui/run_window_tests.sh     # root location (default /var/cache/...)
#   GOTCHA_GUI_NO_SCREENSHOT_UPDATE=1 tests/gui/run_window_tests.sh   # leave tests/gui/screenshots alone
#   GOTCHA_GUI_KEEP_OUT=1 tests/gui/run_window_tests.sh               # keep the run's folder (full-colour shots, logs)
#
# Exit status: pytest's; 77 when the window tests were skipped (not root, no debootstrap), reason printed.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY="${PYTHON:-python3}"
OUT="$(mktemp -d /tmp/gotcha-gui-XXXXXX)"
export GOTCHA_GUI_OUT="$OUT"
# The run's folder (about 8 MB of screenshots and logs) goes when the script ends, unless asked to keep it.
if [ -z "${GOTCHA_GUI_KEEP_OUT:-}" ]; then
  trap 'rm -rf "$OUT"' EXIT
fi
if "$PY" -c "import pytest" 2>/dev/null; then
  "$PY" -m pytest -c "$HERE/pytest.ini" --rootdir "$HERE" "$HERE" -v "$@"
  rc=$?
else
  echo "run_window_tests.sh: no pytest for $PY; running the scenario without the assertions" >&2
  "$PY" "$HERE/run_window_tests.py" --out "$OUT"
  rc=$?
fi
if [ -f "$OUT/summary.txt" ]; then
  echo "---- window test measurements ($OUT) ----"
  cat "$OUT/summary.txt"
fi
if [ -z "${GOTCHA_GUI_NO_SCREENSHOT_UPDATE:-}" ] && [ -d "$OUT/screenshots-png8" ] \
   && [ -n "$(ls "$OUT/screenshots-png8" 2>/dev/null)" ]; then
  rm -f "$HERE/screenshots/"*.png
  mkdir -p "$HERE/screenshots"
  cp "$OUT/screenshots-png8/"*.png "$HERE/screenshots/"
  cp "$OUT/summary.txt" "$HERE/screenshots/measurements.txt"
  if [ -n "${GOTCHA_GUI_KEEP_OUT:-}" ]; then
    echo "screenshots refreshed in $HERE/screenshots (full-colour originals in $OUT/screenshots)"
  else
    echo "screenshots refreshed in $HERE/screenshots (GOTCHA_GUI_KEEP_OUT=1 keeps the full-colour originals)"
  fi
fi
if [ -f "$OUT/result.json" ] && "$PY" -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1])).get("skipped") else 1)' "$OUT/result.json"; then
  exit 77
fi
exit $rc
