#!/usr/bin/env bash
# Render times of the web console's heaviest pages (models, model, version) with 200 versions of 50 classes, on the
# registry of the module's tests (H2): prints median, p95 and max of 100 requests after 30 to warm up.
#
#   scripts/benchmark-console.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# The JIT as in production, not the tests' C1 only (see test.jvm-options in pom.xml).
./mvnw -q -pl model-registry test -Dtest=ConsoleBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtest.jvm-options=-XX:+TieredCompilation 2>&1 \
  | grep -E '^(registered|/)'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
