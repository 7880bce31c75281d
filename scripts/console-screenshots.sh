#!/usr/bin/env bash
# Screenshots of the web console's main pages at 1280x800, from a running registry (e.g. after
# `./pipeline demo --keep-running`), written to docs/console-*.png with Debian's headless chromium.
#
#   scripts/console-screenshots.sh [registry URL, default http://localhost:8084] [model, default fashion]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
registry="${1:-http://localhost:8084}"
model="${2:-fashion}"
chromium="$(command -v chromium || true)"
if [ -z "$chromium" ]; then
  echo "chromium is not installed (apt-get install chromium)" >&2
  exit 2
fi
production=$(curl -fsS "$registry/models/$model/aliases/production" | sed -n 's/.*"version":\([0-9]*\).*/\1/p')
decision=$(curl -fsS "$registry/models/$model/promotions" | sed -n 's/^\[{"id":\([0-9]*\).*/\1/p')
run=$(curl -fsS "$registry/versions?model=$model&alias=production" | sed -n 's/.*"runId":"\([^"]*\)".*/\1/p')
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT

shoot() {
  "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars \
    --window-size=1280,800 --screenshot="$root/docs/console-$1.png" "$2" >/dev/null 2>&1
  echo "docs/console-$1.png  $2"
}

shoot models "$registry/"
shoot model "$registry/console/models/$model"
[ -n "$production" ] && shoot version "$registry/console/models/$model/versions/$production"
[ -n "$decision" ] && shoot decision "$registry/console/models/$model/decisions/$decision"
[ -n "$run" ] && shoot run "$registry/console/runs/$run"
exit 0
