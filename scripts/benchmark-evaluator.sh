#!/usr/bin/env bash
# Evaluation throughput of the evaluator's DJL batch inference beside PyTorch torch.no_grad() inference of the
# same backbone file and head on the same preprocessed images, batch size and threads.
#
#   scripts/benchmark-evaluator.sh [backbone.pt] [resize] [crop] [batch] [threads] [passes]
#
# Defaults: a random-weight ResNet-18 exported to evaluator-service/target/benchmark/, the Fashion-MNIST
# sample's 200 test images resized to 256 and center-cropped to 224, batch 32, 2 threads, median of 3 passes.
# Needs /usr/bin/python3 with torch and torchvision (for the export) and network-free Maven (-o).
set -euo pipefail
cd "$(dirname "$0")/.."

python=/usr/bin/python3
work=evaluator-service/target/benchmark
mkdir -p "$work"
backbone=${1:-$work/resnet18.pt}
resize=${2:-256}
crop=${3:-224}
batch=${4:-32}
threads=${5:-2}
passes=${6:-3}

if [[ ! -f $backbone ]]; then
  "$python" scripts/export_backbone.py --arch resnet18 --seed 0 --out "$backbone"
fi
./mvnw -B -q -o -pl pipeline-common,evaluator-service test-compile >/dev/null
./mvnw -B -q -o -pl evaluator-service dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/$work/classpath.txt" >/dev/null
classpath="evaluator-service/target/test-classes:evaluator-service/target/classes:$(cat "$work/classpath.txt")"

echo "load average: $(cut -d" " -f1-3 /proc/loadavg) on $(nproc) cores (a busy machine slows both sides unevenly)"
echo "backbone $backbone, 200 test images ${resize}->${crop}, batch $batch, $threads threads (images/s)"
djl=$(java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -Dstagetune.fixtures=fixtures -cp "$classpath" io.stagetune.evaluator.evaluation.EvaluatorBenchmark \
  "$backbone" "$resize" "$crop" "$batch" "$passes" "$work/out" 2>/dev/null | grep -E '^djl-')
torch=$("$python" scripts/benchmark_inference.py --checkpoint "$work/out/checkpoint" \
  --images "$work/out/images.safetensors" --batch "$batch" --threads "$threads" --passes "$passes" \
  --predictions "$work/out/predictions.json")
echo "$djl"
echo "$torch"
inference=$(awk '/^djl-inference/ { print $2 }' <<<"$djl")
evaluation=$(awk '/^djl-evaluation/ { print $2 }' <<<"$djl")
reference=$(awk '/^pytorch-inference/ { print $2 }' <<<"$torch")
awk -v i="$inference" -v e="$evaluation" -v r="$reference" \
  'BEGIN { printf "ratio djl/pytorch: inference %.2f, whole evaluation %.2f (target >= 0.9)\n", i / r, e / r }'
