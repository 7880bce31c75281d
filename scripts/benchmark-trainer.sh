#!/usr/bin/env bash
# Training throughput of the DJL stage trainer beside the classic PyTorch loop, same backbone file, images,
# batch size, resolution and threads; then HEAD over 10 epochs without and with the frozen-feature cache, and with
# the features of a previous run from the feature store.
#
#   scripts/benchmark-trainer.sh [backbone.pt] [images] [batch] [side] [threads] [rounds]
#
# Defaults: a random-weight ResNet-18 exported to trainer-service/target/benchmark/, 128 images of 224x224,
# batch 32, 2 threads, 3 rounds. Java and Python alternate round by round, so a change in the machine's load
# affects both sides alike; the ratios at the end are the medians of the rounds' ratios. Needs /usr/bin/python3
# with torch and torchvision. Maven (through the wrapper) compiles what it needs.
# JAVA_HEAP (e.g. "-Xms4g -Xmx4g", as the trainer's image fixes its heap) is passed to the JVM; default: its own.
# Both sides run with the same C allocator, the one the local stack gives the trainer: STAGETUNE_MALLOC=auto
# (tcmalloc where it is installed, else the system's), system, or a library's path.
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
rounds=${6:-3}

if [[ ! -f $backbone ]]; then
  "$python" scripts/export_backbone.py --arch resnet18 --seed 0 --out "$backbone"
fi
# One reactor build: pipeline-common resolves to its target/classes, so nothing needs installing.
./mvnw -B -q -pl pipeline-common,trainer-service test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/$work/classpath.txt" >/dev/null
classpath="trainer-service/target/test-classes:trainer-service/target/classes:$(cat "$work/classpath.txt")"
malloc=${STAGETUNE_MALLOC:-auto}
case $malloc in
  auto) preload=$(ls /usr/lib/*-linux-gnu/libtcmalloc_minimal.so.4 /usr/lib64/libtcmalloc_minimal.so.4 2>/dev/null \
    | head -n 1 || true) ;;
  system) preload= ;;
  *) [[ -f $malloc ]] || { echo "STAGETUNE_MALLOC=$malloc: not auto, system nor a library file" >&2; exit 2; }
    preload=$malloc ;;
esac
export LD_PRELOAD=${preload}
java_run() {
  java ${JAVA_HEAP:-} -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -cp "$classpath" io.stagetune.trainer.training.TrainerBenchmark "$backbone" "$images" "$batch" "$side" "$1" \
    2>/dev/null | grep -E '^(HEAD|LAYER4|FULL)'
}

echo "load average: $(cut -d" " -f1-3 /proc/loadavg) on $(nproc) cores (a busy machine slows both sides unevenly)"
echo "backbone $backbone, $images images ${side}x${side}, batch $batch, $threads threads (training images/s)"
echo "C allocator of both sides: ${preload:-the system default}"
printf '%-6s %-8s %10s %10s %8s\n' round stage djl pytorch ratio
results=$work/rounds.txt
: >"$results"
for round in $(seq "$rounds"); do
  djl=$(java_run HEAD,LAYER4,FULL)
  torch=$("$python" scripts/benchmark_pytorch.py --backbone "$backbone" --images "$images" --batch "$batch" \
    --size "$side" --threads "$threads")
  join <(echo "$djl") <(echo "$torch") | awk -v round="$round" '{
    printf "%-6s %-8s %10.1f %10.1f %8.2f\n", round, $1, $2, $3, $2 / $3; print $1, $2 / $3 >> "'"$results"'" }'
  cache=$(java_run cache)
  uncached=$(awk '/^HEAD-uncached/ { print $4 }' <<<"$cache")
  cached=$(awk '/^HEAD-cached/ { print $4 }' <<<"$cache")
  stored=$(awk '/^HEAD-stored/ { print $4 }' <<<"$cache")
  echo "$round   HEAD over 10 epochs: uncached $uncached s, cached $cached s, features from the store $stored s"
  awk -v u="$uncached" -v c="$cached" -v s="$stored" 'BEGIN { print "CACHE", u / c; print "STORED", u / s }' \
    >>"$results"
done
awk 'function median(a, n,   s, k, j, t) { for (k = 1; k <= n; k++) s[k] = a[k]
    for (k = 1; k <= n; k++) for (j = k + 1; j <= n; j++) if (s[j] < s[k]) { t = s[k]; s[k] = s[j]; s[j] = t }
    return n % 2 ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2 }
  function of(name,   a, k) { for (k = 1; k <= n[name]; k++) a[k] = v[name, k]; return median(a, n[name]) }
  { n[$1]++; v[$1, n[$1]] = $2 }
  END { printf "median of %d rounds, DJL / PyTorch: HEAD %.2f LAYER4 %.2f FULL %.2f (target FULL >= 0.9)\n",
      n["FULL"], of("HEAD"), of("LAYER4"), of("FULL")
    printf "median of %d rounds, HEAD over 10 epochs uncached / cached: %.1fx (target >= 10x); ", n["CACHE"], of("CACHE")
    printf "uncached / features from the store (a later run, same images): %.1fx\n", of("STORED") }' "$results"
