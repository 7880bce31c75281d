#!/usr/bin/env bash
# Runs the whole pipeline on the local stack with a real Prometheus scraping it, then asks Prometheus every query of
# every dashboard (deploy/check.sh list-queries) and fails naming each one that returns no series.
#   deploy/check-live.sh     needs the packaged services (./mvnw package -DskipTests, or verify) and the Debian
#                            package prometheus; everything runs on free ports in a temporary folder, removed after.
#   LIVE_METRICS_DIR=dir deploy/check-live.sh    also keeps each service's /q/metrics there (the names that exist)
# What it runs: the committed sample plus two broken images (rejections) and one refused request, one training run
# with the tiny backbone (HEAD, LAYER4, FULL, evaluation, promotion), and a malformed training command and
# checkpoint (failures and dead letters), and predictions of the promoted version (one refused).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

for tool in prometheus python3 curl java; do
  command -v "$tool" >/dev/null || { echo "deploy/check-live.sh needs $tool (prometheus: apt-get install -y prometheus)"; exit 2; }
done
for built in ingest-service/target/quarkus-app/quarkus-run.jar trainer-service/target/quarkus-app/quarkus-run.jar \
    evaluator-service/target/quarkus-app/quarkus-run.jar model-registry/target/quarkus-app/quarkus-run.jar \
    serving-service/target/quarkus-app/quarkus-run.jar local-stack/cli/target/classes/io/stagetune/localstack/cli/PipelineCommand.class local-stack/cli/target/lib; do
  [ -e "$built" ] || { echo "$built is missing: build first (./mvnw -B package -DskipTests)"; exit 2; }
done

work=$(mktemp -d -t stagetune-live.XXXXXX)
stack_pid=
prometheus_pid=
finish() {
  local status=$?
  set +e
  [ -n "$prometheus_pid" ] && kill "$prometheus_pid" 2>/dev/null && wait "$prometheus_pid" 2>/dev/null
  # SIGTERM: the stack's shutdown hook stops the five services, then Kafka and the store.
  [ -n "$stack_pid" ] && kill "$stack_pid" 2>/dev/null && wait "$stack_pid" 2>/dev/null
  if [ "$status" -ne 0 ]; then
    for log in "$work"/up.log "$work"/prometheus.log "$work"/data/logs/*.log; do
      [ -f "$log" ] && { echo "--- last lines of $(basename "$log")"; tail -n 25 "$log"; }
    done
  fi
  rm -rf "$work"
  echo "deploy/check-live.sh: $((SECONDS - started)) s"
  exit "$status"
}
trap finish EXIT
trap 'exit 130' INT TERM

read -r kafka_port s3_port ingest_port trainer_port evaluator_port registry_port serving_port prometheus_port \
  < <(python3 -c '
import socket
sockets = [socket.socket() for _ in range(8)]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in sockets))')
data="$work/data"
kafka="localhost:$kafka_port"

# The tiny backbone's 8-channel convolutions need oneDNN's AVX2 kernels on some CPUs (see the parent pom.xml).
export ONEDNN_MAX_CPU_ISA="${ONEDNN_MAX_CPU_ISA:-AVX2}"
echo "== local stack (data in $data)"
# Every prediction is an audit pick here, so that the "Production on live traffic" panels get their labels.
INGEST_REVIEW_AUDIT_PERCENT=100 INGEST_REVIEW_LIVE_METRICS_EVERY=2s \
./pipeline up --data-dir "$data" --kafka-port "$kafka_port" --s3-port "$s3_port" \
  --port "ingest-service=$ingest_port" --port "trainer-service=$trainer_port" \
  --port "evaluator-service=$evaluator_port" --port "model-registry=$registry_port" \
  --port "serving-service=$serving_port" \
  --backbone fixtures/backbones/resnet-tiny.pt \
  --trainer-property trainer.models.fashion.dataset=fashion \
  --trainer-property trainer.models.fashion.base-backbone=s3://checkpoints/_backbones/resnet-tiny.pt \
  --trainer-property trainer.planner.debounce=1s \
  --trainer-property trainer.models.fashion.hyperparameters.maxEpochs=1 \
  --trainer-property trainer.models.fashion.hyperparameters.preprocessing.resize=36 \
  --trainer-property trainer.models.fashion.hyperparameters.preprocessing.crop=32 \
  >"$work/up.log" 2>&1 &
stack_pid=$!
until grep -qs "The pipeline is up" "$work/up.log"; do
  kill -0 "$stack_pid" 2>/dev/null || { echo "FAILED: pipeline up exited"; exit 1; }
  [ $((SECONDS - started)) -lt 400 ] || { echo "FAILED: pipeline up not ready after 400 s"; exit 1; }
  sleep 1
done
echo "up after $((SECONDS - started)) s"

echo "== Prometheus on 127.0.0.1:$prometheus_port, scraping every 2 s, with deploy/prometheus/rules"
cat >"$work/prometheus.yml" <<EOF
global:
  scrape_interval: 2s
  evaluation_interval: 2s
rule_files:
  - $PWD/deploy/prometheus/rules/*.yml
scrape_configs:
  - job_name: stagetune
    metrics_path: /q/metrics
    static_configs:
      - targets: ["localhost:$ingest_port"]
        labels: {service: ingest-service}
      - targets: ["localhost:$trainer_port"]
        labels: {service: trainer-service}
      - targets: ["localhost:$evaluator_port"]
        labels: {service: evaluator-service}
      - targets: ["localhost:$registry_port"]
        labels: {service: model-registry}
      - targets: ["localhost:$serving_port"]
        labels: {service: serving-service}
EOF
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus" \
  --web.listen-address="127.0.0.1:$prometheus_port" >"$work/prometheus.log" 2>&1 &
prometheus_pid=$!
until curl -fs "http://127.0.0.1:$prometheus_port/-/ready" >/dev/null; do
  kill -0 "$prometheus_pid" 2>/dev/null || { echo "FAILED: prometheus exited"; exit 1; }
  sleep 1
done

echo "== ingest: the sample, two broken images, one refused request"
cp -r fixtures/fashion-mnist-sample "$work/images"
rm -f "$work/images/README.md"
printf 'not a png' >"$work/images/train/coat/broken.png"
head -c 200 fixtures/fashion-mnist-sample/train/bag/"$(ls fixtures/fashion-mnist-sample/train/bag | head -1)" \
  >"$work/images/train/bag/truncated.png"
ingested=0
./pipeline ingest "$work/images" --dataset fashion --url "http://localhost:$ingest_port" --data-dir "$data" \
  >"$work/ingest.log" 2>&1 || ingested=$?
tr '\r' '\n' <"$work/ingest.log" | grep -v '^uploading'
[ "$ingested" -eq 0 ] || { echo "FAILED: pipeline ingest ($ingested)"; exit 1; }
token=$(grep '^token.ingest=' "$data/secrets.properties" | cut -d= -f2)
refused=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" -F label=coat \
  "http://localhost:$ingest_port/datasets/fashion/images")
echo "an upload without files: $refused"

echo "== the run: HEAD, LAYER4, FULL, evaluation, promotion"
./pipeline watch fashion.fashion.v1 --kafka "$kafka" --timeout PT10M

echo "== serving: the promoted version answers a few test images, and refuses one that is not an image"
until curl -fs "http://localhost:$serving_port/q/health/ready" >/dev/null; do
  [ $((SECONDS - started)) -lt 900 ] || { echo "FAILED: serving-service not ready after the promotion"; exit 1; }
  sleep 1
done
for image in $(ls -d fixtures/fashion-mnist-sample/test/*/ | head -3); do
  file="$image$(ls "$image" | head -1)"
  curl -fsS -F "image=@$file" "http://localhost:$serving_port/models/fashion/predict?k=1"; echo
done
echo "not an image: $(curl -s -o /dev/null -w '%{http_code}' -F image=@README.md \
  "http://localhost:$serving_port/models/fashion/predict")"

echo "== review: the three predictions are audit picks; label them with their true class (live accuracy)"
reviewer=$(grep '^token.reviewer=' "$data/secrets.properties" | cut -d= -f2)
python3 - "http://localhost:$ingest_port" "$reviewer" $(for image in $(ls -d fixtures/fashion-mnist-sample/test/*/ | head -3); do
  echo "$image$(ls "$image" | head -1)"; done) <<'PY'
import hashlib, json, os, sys, time, urllib.error, urllib.request
ingest, token, files = sys.argv[1], sys.argv[2], sys.argv[3:]
truth = {hashlib.sha256(open(f, "rb").read()).hexdigest(): os.path.basename(os.path.dirname(f)) for f in files}
items, deadline = [], time.time() + 60
while len(items) < len(files) and time.time() < deadline:
    try:
        with urllib.request.urlopen(ingest + "/models/fashion/review?reason=audit", timeout=10) as response:
            items = json.load(response)["items"]
    except urllib.error.HTTPError:
        pass
    time.sleep(1)
if len(items) < len(files):
    raise SystemExit(f"FAILED: {len(items)} audit items in the review queue, expected {len(files)}")
for item in items:
    body = json.dumps({"label": truth[item["sha256"]]}).encode()
    request = urllib.request.Request(ingest + "/models/fashion/review/" + item["id"], data=body, method="POST",
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.load(response)
    print(f"labelled {item['id']} {answer['label']} (predicted {item['predictedLabel']}): split {answer['split']}")
PY

echo "== malformed messages: a training command and a checkpoint (to their dead-letter topics)"
send() { java -cp "local-stack/cli/target/classes:local-stack/cli/target/lib/*" io.stagetune.localstack.SendRecord "$kafka" "$@"; }
send training-commands live-check 'not a command'
send training-checkpoints live-check 'not a checkpoint'

echo "== every dashboard query against Prometheus"
deploy/check.sh list-queries >"$work/queries.tsv"
answered=0
python3 - "http://127.0.0.1:$prometheus_port" "$work/queries.tsv" <<'PY' || answered=$?
import json, sys, time, urllib.error, urllib.parse, urllib.request
prometheus = sys.argv[1]
queries = [line.rstrip("\n").split("\t") for line in open(sys.argv[2]) if line.strip()]

def has_data(expr):
    url = prometheus + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            answer = json.load(response)
    except urllib.error.HTTPError as e:
        answer = json.load(e)
    if answer["status"] != "success":
        raise SystemExit("query refused by Prometheus: " + expr + ": " + answer.get("error", ""))
    return len(answer["data"]["result"]) > 0

# A series appears at its first scrape and increase() needs two samples; recording rules lag one evaluation.
pending = list(queries)
deadline = time.time() + 60
while pending and time.time() < deadline:
    pending = [q for q in pending if not has_data(q[2])]
    if pending:
        time.sleep(2)
for board, panel, expr in queries:
    print(f"{'NO DATA' if [board, panel, expr] in pending else 'ok':8} {board} / {panel}: {expr}")
print(f"{len(queries) - len(pending)} of {len(queries)} dashboard queries return data")
sys.exit(1 if pending else 0)
PY
if [ -n "${LIVE_METRICS_DIR:-}" ]; then
  mkdir -p "$LIVE_METRICS_DIR"
  for service in ingest-service:$ingest_port trainer-service:$trainer_port evaluator-service:$evaluator_port \
      model-registry:$registry_port serving-service:$serving_port; do
    curl -fs "http://localhost:${service#*:}/q/metrics" >"$LIVE_METRICS_DIR/${service%:*}.txt"
  done
fi

exit "$answered"
