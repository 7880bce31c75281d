#!/usr/bin/env bash
# Ingest benchmark: 10,000 real Fashion-MNIST PNGs through the REST API of the packaged service (batches of 500 from
# 4 concurrent clients) into S3Proxy, with one replica and with two replicas sharing one database, beside the raw S3
# put rate of the same files in the same run, in rounds that alternate the three phases' order (the ratios are the
# medians of the rounds'). Options: -Dbenchmark.images=N -Dbenchmark.batch=N -Dbenchmark.clients=N
# -Dbenchmark.warmup-batches=N (per replica, default 10) -Dbenchmark.rounds=N (default 3)
# -Dbenchmark.database=h2|postgresql (default h2: the local stack's H2 server; postgresql: the test server on
# 127.0.0.1:5432, as in production). It also prints the CPU time per image of the replicas and of the rest.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp -pl ingest-service -am install -DskipTests
# The JIT as in production, not the tests' C1 only (see test.jvm-options in pom.xml).
./mvnw -B -q -ntp -pl ingest-service surefire:test -Dtest=IngestBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtest.jvm-options=-XX:+TieredCompilation "$@"
