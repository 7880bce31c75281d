#!/usr/bin/env bash
# Evaluations of a split of photos: decoding every photo on every evaluation beside the evaluator's decoded-image
# cache (its first evaluation, which decodes, and a later one, which reads the decoded files), in one JVM.
#
#   scripts/benchmark-evaluator-photos.sh [photos] [width] [height] [backbone.pt] [resize] [crop] [batch] [threads]
#                                          [rounds]
#
# Defaults: 64 photos of 4032x3024 (a 12-megapixel phone camera), a random-weight ResNet-18 exported to
# evaluator-service/target/benchmark/, resize 256, crop 224, batch 32, 2 libtorch threads, 3 rounds (medians).
# Needs /usr/bin/python3 with torch and torchvision for the export. The JVM gets tcmalloc where it is installed,
# as the local stack and the evaluator's image give the evaluator (STAGETUNE_MALLOC=system: glibc's allocator), and
# a fixed 4 GB heap, as the image's (JAVA_HEAP="-Xmx4g": one that grows and shrinks).
set -euo pipefail
cd "$(dirname "$0")/.."

work=evaluator-service/target/benchmark
mkdir -p "$work"
backbone=${4:-$work/resnet18.pt}
if [[ ! -f $backbone ]]; then
  /usr/bin/python3 scripts/export_backbone.py --arch resnet18 --seed 0 --out "$backbone"
fi
./mvnw -B -q -pl pipeline-common,evaluator-service test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/$work/classpath.txt" >/dev/null
classpath="evaluator-service/target/test-classes:evaluator-service/target/classes:$(cat "$work/classpath.txt")"
preload=
if [[ ${STAGETUNE_MALLOC:-auto} == auto ]]; then
  preload=$(ls /usr/lib/*-linux-gnu/libtcmalloc_minimal.so.4 2>/dev/null | head -n 1 || true)
fi
echo "C allocator: ${preload:-the system default}"
LD_PRELOAD=$preload java ${JAVA_HEAP:--Xms4g -Xmx4g} -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="${8:-2}" -Dai.djl.pytorch.num_interop_threads=1 \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -Dstagetune.fixtures=fixtures -cp "$classpath" io.stagetune.evaluator.evaluation.EvaluatorPhotoBenchmark \
  "$backbone" "${1:-64}" "${2:-4032}" "${3:-3024}" "${5:-256}" "${6:-224}" "${7:-32}" "${9:-3}" 2>/dev/null
