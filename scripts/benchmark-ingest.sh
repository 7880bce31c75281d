#!/usr/bin/env bash
# Ingest benchmark: 10,000 real Fashion-MNIST PNGs through the REST API (batches of 500) into S3Proxy, beside the
# raw S3 put rate of the same files in the same run. Options: -Dbenchmark.images=N -Dbenchmark.batch=N
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp -pl pipeline-common,ingest-service -am verify -Dtest=IngestBenchmark \
  -Dsurefire.failIfNoSpecifiedTests=false -Dquarkus.log.level=WARN "$@"
