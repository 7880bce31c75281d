#!/usr/bin/env bash
# Training throughput of the DJL stage trainer beside the classic PyTorch loop, same backbone file, images,
# batch size, resolution and threads; then HEAD over 10 epochs with and without the frozen-feature cache.
#
#   scripts/benchmark-trainer.sh [backbone.pt] [images] [batch] [side] [threads]
#
# Defaults: a random-weight ResNet-18 exported to trainer-service/target/benchmark/, 128 images of 224x224,
# batch 32, 2 threads. Needs /usr/bin/python3 with torch and torchvision.
# Maven (through the wrapper) compiles what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."

python=/usr/bin/python3
work=trainer-service/target/benchmark
mkdir -p "$work"
backbone=${1:-$work/resnet18.pt}
images=${2:-128}
batch=${3:-32}
side=${4:-224}
threads=${5:-2}

if [[ ! -f $backbone ]]; then
  "$python" scripts/export_backbone.py --arch resnet18 --seed 0 --out "$backbone"
fi
# One reactor build: pipeline-common resolves to its target/classes, so nothing needs installing.
./mvnw -B -q -pl pipeline-common,trainer-service test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/$work/classpath.txt" >/dev/null
classpath="trainer-service/target/test-classes:trainer-service/target/classes:$(cat "$work/classpath.txt")"
java_run() {
  java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -cp "$classpath" io.stagetune.trainer.training.TrainerBenchmark "$backbone" "$images" "$batch" "$side" "$1" \
    2>/dev/null | grep -E '^(HEAD|LAYER4|FULL)'
}

echo "backbone $backbone, $images images ${side}x${side}, batch $batch, $threads threads (training images/s)"
djl=$(java_run HEAD,LAYER4,FULL)
torch=$("$python" scripts/benchmark_pytorch.py --backbone "$backbone" --images "$images" --batch "$batch" \
  --size "$side" --threads "$threads")
printf '%-8s %10s %10s %8s\n' stage djl pytorch ratio
join <(echo "$djl") <(echo "$torch") | awk '{ printf "%-8s %10.1f %10.1f %8.2f\n", $1, $2, $3, $2 / $3 }'
echo
java_run cache
