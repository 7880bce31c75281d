#!/usr/bin/env bash
# Serving throughput and latency through HTTP at concurrency 1, 8 and 32 (single-image requests that dynamic
# batching gathers into forwards), beside a direct in-process DJL forward of the same checkpoint and PyTorch
# torch.no_grad() inference of the same backbone file and head, at batch sizes 1, 8 and 32, in the same run.
#
#   scripts/benchmark-serving.sh [backbone.pt] [threads] [crop] [-Dserving.<property>=<value> ...]
#
# Default backbone: a random-weight ResNet-18 exported to serving-service/target/benchmark/; default input 224x224
# crops of the Fashion-MNIST sample's test images, resized to 256. A smaller crop (the demo's model takes 36x36:
# `scripts/benchmark-serving.sh fixtures/backbones/resnet-small.pt 2 36`) scales the images to the crop instead. The
# service runs with its default configuration (batches of at most 32 images, tuned at warm-up, no wait) against the
# registry, broker and store of its tests (ServingBenchmark); arguments after the third set service properties, e.g.
# `-Dserving.batch.tune=false -Dserving.batch.max-wait=5ms` for the defaults before 2026-12-03.
# Targets: at concurrency 32 >= 3x the images/s of concurrency 1; HTTP >= 0.8x the direct forward at the same batch.
# Needs /usr/bin/python3 with torch and torchvision, and the registry's packaged build (./mvnw package).
set -euo pipefail
cd "$(dirname "$0")/.."

python=/usr/bin/python3
work=$PWD/serving-service/target/benchmark
mkdir -p "$work"
backbone=${1:-$work/resnet18.pt}
threads=${2:-$(nproc)}
crop=${3:-224}
shift $(($# < 3 ? $# : 3))

if [[ ! -f $backbone ]]; then
  "$python" scripts/export_backbone.py --arch resnet18 --seed 0 --out "$backbone"
fi
echo "load average: $(cut -d" " -f1-3 /proc/loadavg) on $(nproc) cores"
# The JIT as in production, not the tests' C1 only (see test.jvm-options in pom.xml).
./mvnw -B -q -pl serving-service test -Dtest=ServingBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtest.jvm-options=-XX:+TieredCompilation \
  -Dstagetune.benchmark.backbone="$(realpath "$backbone")" -Dstagetune.benchmark.out="$work/out" \
  -Dstagetune.benchmark.crop="$crop" -Dai.djl.pytorch.num_threads="$threads" "$@" >"$work/java.log" 2>&1 || { tail -40 "$work/java.log"; exit 1; }
grep -E '^(http|direct) ' "$work/java.log" >"$work/figures.txt"
for batch in 1 8 32; do
  rate=$("$python" scripts/benchmark_inference.py --checkpoint "$work/out/checkpoint" \
    --images "$work/out/images.safetensors" --batch "$batch" --threads "$threads" --passes 2 \
    | awk '/^pytorch-inference/ { print $2 }')
  echo "pytorch $batch $rate" >>"$work/figures.txt"
done

echo "backbone $backbone, ${crop}x${crop} input, $threads threads${*:+, $*}"
grep -o 'batches of at most .*' "$work/java.log" | head -1 || true
awk '
  $1 == "http"    { http[$2] = $3; p50[$2] = $4; p99[$2] = $5; mean[$2] = $6 }
  $1 == "direct"  { direct[$2] = $3 }
  $1 == "pytorch" { torch[$2] = $3 }
  END {
    printf "%-6s %12s %9s %9s %11s %15s %16s %11s\n", "level", "http img/s", "p50 ms", "p99 ms", "mean batch",
      "direct img/s", "pytorch img/s", "http/direct"
    split("1 8 32", levels, " ")
    for (i = 1; i <= 3; i++) {
      l = levels[i]
      printf "%-6s %12.1f %9.1f %9.1f %11.1f %15.1f %16.1f %11.2f\n", l, http[l], p50[l], p99[l], mean[l],
        direct[l], torch[l], http[l] / direct[l]
    }
    printf "concurrency 32 / concurrency 1: %.2fx (target >= 3)\n", http[32] / http[1]
    printf "HTTP / direct at the same batch: %.2f, %.2f, %.2f (target >= 0.8)\n", http[1] / direct[1],
      http[8] / direct[8], http[32] / direct[32]
  }' "$work/figures.txt"
