#!/usr/bin/env bash
# Heap and time of the trainer's decoding of a split of photos (presized, into a file of the stage's work folder)
# beside keeping the decoded photos on the heap, in one JVM; then batches prepared from it on one thread and on all.
#
#   scripts/benchmark-decoding.sh [photos] [width] [height] [crop]
#
# Defaults: 100 photos of 4032x3024 (a 12-megapixel phone camera), crop 224. The heap is 8 GB, so that the
# on-heap side fits, and fixed (-Xms = -Xmx), as the trainer's image runs it: a heap that G1 shrinks and grows
# again faults its pages in anew, which cut batch preparation to a fifth (trainer-service/TRAINING.md).
set -euo pipefail
cd "$(dirname "$0")/.."
work=trainer-service/target/benchmark
mkdir -p "$work"
./mvnw -B -q -pl pipeline-common,trainer-service test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/$work/classpath.txt" >/dev/null
classpath="trainer-service/target/test-classes:trainer-service/target/classes:$(cat "$work/classpath.txt")"
java -Xms8g -Xmx8g -cp "$classpath" io.stagetune.trainer.worker.DecodingBenchmark "${1:-100}" "${2:-4032}" "${3:-3024}" \
  "${4:-224}"
