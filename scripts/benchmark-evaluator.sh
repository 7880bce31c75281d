#!/usr/bin/env bash
# Evaluation throughput of the evaluator's DJL batch inference beside PyTorch torch.no_grad() inference of the
# same backbone file and head on the same preprocessed images, batch size and threads.
#
#   scripts/benchmark-evaluator.sh [backbone.pt] [resize] [crop] [batch] [threads] [passes] [rounds]
#
# Defaults: a random-weight ResNet-18 exported to evaluator-service/target/benchmark/, the Fashion-MNIST
# sample's 200 test images resized to 256 and center-cropped to 224, batch 32, 2 threads, median of 2 passes
# per side, 3 rounds. Java and Python alternate round by round, so a change in the machine's load affects both
# sides alike; the ratios reported at the end are the medians of the rounds' ratios.
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
passes=${6:-2}
rounds=${7:-3}

if [[ ! -f $backbone ]]; then
  "$python" scripts/export_backbone.py --arch resnet18 --seed 0 --out "$backbone"
fi
# One reactor build: pipeline-common resolves to its target/classes, so nothing needs installing.
./mvnw -B -q -pl pipeline-common,evaluator-service test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/$work/classpath.txt" >/dev/null
classpath="evaluator-service/target/test-classes:evaluator-service/target/classes:$(cat "$work/classpath.txt")"

echo "load average: $(cut -d" " -f1-3 /proc/loadavg) on $(nproc) cores (a busy machine slows both sides unevenly)"
echo "backbone $backbone, 200 test images ${resize}->${crop}, batch $batch, $threads threads (images/s)"
printf '%-6s %14s %15s %18s %10s\n' round djl-inference djl-evaluation pytorch-inference agreement
results=$work/rounds.txt
: >"$results"
for round in $(seq "$rounds"); do
  djl=$(java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -Dstagetune.fixtures=fixtures -cp "$classpath" io.stagetune.evaluator.evaluation.EvaluatorBenchmark \
    "$backbone" "$resize" "$crop" "$batch" "$passes" "$work/out" 2>/dev/null | grep -E '^djl-')
  torch=$("$python" scripts/benchmark_inference.py --checkpoint "$work/out/checkpoint" \
    --images "$work/out/images.safetensors" --batch "$batch" --threads "$threads" --passes "$passes" \
    --predictions "$work/out/predictions.json")
  inference=$(awk '/^djl-inference/ { print $2 }' <<<"$djl")
  evaluation=$(awk '/^djl-evaluation/ { print $2 }' <<<"$djl")
  reference=$(awk '/^pytorch-inference/ { print $2 }' <<<"$torch")
  agreement=$(awk '/^agreement/ { print $2 }' <<<"$torch")
  printf '%-6s %14s %15s %18s %10s\n' "$round" "$inference" "$evaluation" "$reference" "$agreement"
  echo "$inference $evaluation $reference" >>"$results"
done
awk '{ i[NR] = $1 / $3; e[NR] = $2 / $3 }
  function median(a, n,   s, k, j, t) { for (k = 1; k <= n; k++) s[k] = a[k]
    for (k = 1; k <= n; k++) for (j = k + 1; j <= n; j++) if (s[j] < s[k]) { t = s[k]; s[k] = s[j]; s[j] = t }
    return n % 2 ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2 }
  END { printf "ratio djl/pytorch (median of %d rounds): inference %.2f, whole evaluation %.2f (target >= 0.9)\n",
    NR, median(i, NR), median(e, NR) }' "$results"
