#!/usr/bin/env bash
# Checks the deployment files without Docker or a cluster. A missing tool skips its check with a message.
#   deploy/check.sh                 every check (the Java ones through Maven: schemas, dashboards, metric names)
#   deploy/check.sh --tools-only    only the command-line tools (no Maven)
#   deploy/check.sh list-queries    every dashboard query, one per line: dashboard<TAB>panel<TAB>PromQL with the
#                                   Grafana variables replaced, ready to send to a live Prometheus /api/v1/query
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = list-queries ]; then
  exec python3 - deploy/grafana/dashboards/*.json <<'PY'
import json, sys
substitutions = {"$__range": "1h", "$__rate_interval": "1m", "$__interval": "1m"}
for path in sys.argv[1:]:
    board = json.load(open(path))
    variables = [v["name"] for v in board.get("templating", {}).get("list", [])]
    panels = [p for top in board.get("panels", []) for p in [top] + top.get("panels", [])]
    for panel in panels:
        for target in panel.get("targets", []):
            expr = target.get("expr", "")
            for name, value in substitutions.items():
                expr = expr.replace(name, value)
            for name in variables:
                expr = expr.replace("=~\"$" + name + "\"", "=~\".*\"").replace("=\"$" + name + "\"", "=~\".+\"")
            print("\t".join([board["title"], panel.get("title", ""), " ".join(expr.split())]))
PY
fi

failures=0
step() { echo; echo "== $*"; }
have() { command -v "$1" >/dev/null 2>&1 || { echo "SKIPPED: $1 is not installed (see .ci/run)"; return 1; }; }
run() { echo "\$ $*"; "$@" || { echo "FAILED: $*"; failures=$((failures + 1)); }; }

env_file=.env; [ -f .env ] || env_file=.env.example

step "YAML lint"
if have yamllint; then
  run yamllint -c deploy/.yamllint.yml docker-compose.yml docker-compose.gpu.yml deploy
fi

step "docker-compose config"
if have docker-compose; then
  run docker-compose --env-file "$env_file" -f docker-compose.yml config -q
  run docker-compose --env-file "$env_file" -f docker-compose.yml -f docker-compose.gpu.yml config -q
fi

step "kubectl kustomize"
if have kubectl; then
  for dir in deploy/base deploy/overlays/*/; do
    echo "\$ kubectl kustomize ${dir%/}"
    out=$(kubectl kustomize "${dir%/}" 2>&1) || { echo "$out"; echo "FAILED: ${dir%/}"; failures=$((failures + 1)); continue; }
    echo "   $(grep -c '^kind:' <<<"$out") objects"
  done
fi

step "promtool"
if have promtool; then
  run promtool check config deploy/prometheus/prometheus.yml
  out=$(promtool check config deploy/prometheus/kubernetes.yml 2>&1)
  if grep -q "kubernetes_sd_configs not found" <<<"$out"; then
    echo "SKIPPED: this promtool has no Kubernetes service discovery (Debian build); kubernetes.yml not checked"
  elif [ -n "$out" ] && ! promtool check config deploy/prometheus/kubernetes.yml >/dev/null 2>&1; then
    echo "$out"; echo "FAILED: kubernetes.yml"; failures=$((failures + 1))
  fi
  run promtool check rules deploy/prometheus/rules/*.yml
fi

if [ "${1:-}" != --tools-only ]; then
  step "Kubernetes schemas, dashboards and metric names (Maven: local-stack deploy tests)"
  run ./mvnw -q -B -ntp -pl local-stack/cli -am test -Dtest='io.stagetune.localstack.deploy.*Test' \
      -Dsurefire.failIfNoSpecifiedTests=false
fi

echo
if [ "$failures" -gt 0 ]; then echo "deploy checks: $failures FAILED"; exit 1; fi
echo "deploy checks: passed"
