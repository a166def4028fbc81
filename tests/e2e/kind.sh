#!/usr/bin/env bash
# End-to-end on a real Kubernetes (kind) for hosts with Docker; not run in CI here (no Docker engine).
#
#   1. creates a kind cluster whose workers are labelled as two CPU node pools (cpu-spot, tainted; cpu-ondemand)
#   2. builds the `operator` and `recpod` images from the Dockerfile and loads them into the cluster
#   3. installs Prometheus (kube-prometheus-stack, for the PodMonitor) and the rec-operator chart, reading
#      metrics from Prometheus
#   4. builds the reference model, serves it from an in-cluster model store, applies NodePools and a RecModel
#   5. drives load at the model's Service and checks that the operator scales the fleet up
#
# Needs: docker, kind (>= 0.24), kubectl, helm 3, python3, and the .NET SDK (for ./recop optimize build).
# Usage: tests/e2e/kind.sh [--keep]     (--keep leaves the cluster running; otherwise it is deleted at the end)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

CLUSTER=${CLUSTER:-recop-e2e}
NODE_IMAGE=${NODE_IMAGE:-kindest/node:v1.32.0}
TAG=e2e
NS=rec-operator-system
APP_NS=recop-e2e
PROM_CHART_VERSION=${PROM_CHART_VERSION:-65.1.1}
MODELS_DIR=$(pwd)/.build/e2e-models
KEEP=false
[ "${1:-}" = "--keep" ] && KEEP=true

log() { printf '\n== %s\n' "$*"; }
die() { printf 'kind.sh: %s\n' "$*" >&2; exit 1; }

for tool in docker kind kubectl helm python3; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is required"
done

cleanup() {
  if [ "$KEEP" = false ]; then
    kind delete cluster --name "$CLUSTER" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

log "building the reference model into $MODELS_DIR"
./recop optimize build --model user-candidate --out "$MODELS_DIR"
MODEL_FILE=user-candidate.onnx   # `optimize build` writes <model>.onnx
MODEL_SHA=$(sha256sum "$MODELS_DIR/$MODEL_FILE" | cut -d' ' -f1)

log "creating kind cluster $CLUSTER"
kind create cluster --name "$CLUSTER" --image "$NODE_IMAGE" --wait 120s --config - <<KIND
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
  - role: control-plane
  - role: worker
    labels: {recoperator.io/pool: cpu-spot}
    extraMounts: [{hostPath: "$MODELS_DIR", containerPath: /models, readOnly: true}]
  - role: worker
    labels: {recoperator.io/pool: cpu-ondemand}
    extraMounts: [{hostPath: "$MODELS_DIR", containerPath: /models, readOnly: true}]
  - role: worker
    labels: {recoperator.io/pool: cpu-ondemand}
    extraMounts: [{hostPath: "$MODELS_DIR", containerPath: /models, readOnly: true}]
KIND
kubectl taint nodes -l recoperator.io/pool=cpu-spot recoperator.io/spot=true:NoSchedule --overwrite

log "building and loading the images"
docker build --target operator -t "ghcr.io/recoperator/rec-operator:$TAG" .
docker build --target recpod -t "ghcr.io/recoperator/recpod:$TAG" .
kind load docker-image --name "$CLUSTER" "ghcr.io/recoperator/rec-operator:$TAG" "ghcr.io/recoperator/recpod:$TAG"

log "installing Prometheus (kube-prometheus-stack $PROM_CHART_VERSION)"
helm repo add prometheus-community https://prometheus-community.github.io/helm-charts >/dev/null
helm repo update prometheus-community >/dev/null
helm upgrade --install kps prometheus-community/kube-prometheus-stack --version "$PROM_CHART_VERSION" \
  --namespace monitoring --create-namespace --wait --timeout 10m \
  --set grafana.enabled=false --set alertmanager.enabled=false \
  --set prometheus.prometheusSpec.podMonitorSelectorNilUsesHelmValues=false \
  --set prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues=false \
  --set prometheus.prometheusSpec.scrapeInterval=5s

log "installing the rec-operator chart"
helm upgrade --install rec-operator charts/rec-operator --namespace "$NS" --create-namespace --wait --timeout 5m \
  --set image.tag="$TAG" --set podImages.cpu="ghcr.io/recoperator/recpod:$TAG" \
  --set metrics.source=prometheus --set metrics.prometheusUrl=http://kps-kube-prometheus-stack-prometheus.monitoring:9090 \
  --set metrics.serviceMonitor.enabled=true --set metrics.podMonitor.enabled=true
kubectl -n "$NS" rollout status deployment/rec-operator --timeout 3m

log "serving the model file from an in-cluster store"
kubectl create namespace "$APP_NS" --dry-run=client -o yaml | kubectl apply -f -
kubectl -n "$APP_NS" apply -f - <<STORE
apiVersion: apps/v1
kind: Deployment
metadata: {name: model-store}
spec:
  selector: {matchLabels: {app: model-store}}
  template:
    metadata: {labels: {app: model-store}}
    spec:
      nodeSelector: {recoperator.io/pool: cpu-ondemand}
      containers:
        - name: http
          image: python:3.12.8-slim-bookworm
          command: [python3, -m, http.server, "8000", --directory, /models]
          ports: [{containerPort: 8000}]
          volumeMounts: [{name: models, mountPath: /models, readOnly: true}]
      volumes: [{name: models, hostPath: {path: /models}}]
---
apiVersion: v1
kind: Service
metadata: {name: model-store}
spec:
  selector: {app: model-store}
  ports: [{port: 8000}]
STORE
kubectl -n "$APP_NS" rollout status deployment/model-store --timeout 3m

log "applying NodePools and a RecModel"
kubectl apply -f - <<POOLS
apiVersion: serving.recoperator.io/v1alpha1
kind: NodePool
metadata: {name: cpu-spot}
spec:
  hardware: Cpu
  nodeSelector: {recoperator.io/pool: cpu-spot}
  tolerations: [{key: recoperator.io/spot, operator: Exists, effect: NoSchedule}]
  costPerReplicaHour: 0.04
  capacityLimit: 4
  preemptible: true
---
apiVersion: serving.recoperator.io/v1alpha1
kind: NodePool
metadata: {name: cpu-ondemand}
spec:
  hardware: Cpu
  nodeSelector: {recoperator.io/pool: cpu-ondemand}
  costPerReplicaHour: 0.12
POOLS
kubectl -n "$APP_NS" apply -f - <<MODEL
apiVersion: serving.recoperator.io/v1alpha1
kind: RecModel
metadata: {name: ranking}
spec:
  slo: {p99LatencyMs: 50}
  autoscaling: {windowSeconds: 30, minTotalReplicas: 1, metrics: {source: Prometheus, prometheusUrl: "http://kps-kube-prometheus-stack-prometheus.monitoring:9090"}}
  variants:
    - name: cpu-fp32
      hardware: Cpu
      artifact: {uri: "http://model-store.$APP_NS:8000/$MODEL_FILE", sha256: "$MODEL_SHA", precision: fp32}
      nodePools: [cpu-spot, cpu-ondemand]
      resources: {requests: {cpu: 250m, memory: 256Mi}, limits: {cpu: "1", memory: 1Gi}}
      replicas: {min: 1, max: 6}
      capacity: {qpsPerReplica: 20}
MODEL
kubectl -n "$APP_NS" wait recmodel/ranking --for=condition=Ready --timeout 5m

before=$(kubectl -n "$APP_NS" get recmodel ranking -o jsonpath='{.status.replicas}')
log "replicas before load: ${before:-0}"

log "driving load (about 10x one replica's capacity) for 3 minutes"
svc=$(kubectl -n "$APP_NS" get service -l serving.recoperator.io/model=ranking -o jsonpath='{.items[0].metadata.name}')
kubectl -n "$APP_NS" port-forward "service/$svc" 18080:8080 >/dev/null 2>&1 &
forward=$!
sleep 3
# One request body that fits the model: its inputs from the model's metadata, batch 1 user row and 20 candidates.
body=$(curl -fsS "http://127.0.0.1:18080/v2/models/ranking" | python3 -c '
import json, sys
meta = json.load(sys.stdin)
inputs = []
for i in meta["inputs"]:
    shape = [20 if d == -1 else d for d in i["shape"]]
    n = 1
    for d in shape: n *= d
    value = 1 if i["datatype"].startswith("INT") else 0.5
    inputs.append({"name": i["name"], "datatype": i["datatype"], "shape": shape, "data": [value] * n})
print(json.dumps({"inputs": inputs}))')
kill "$forward"
kubectl -n "$APP_NS" create configmap load-body --from-literal=body.json="$body" --dry-run=client -o yaml | kubectl apply -f -
kubectl -n "$APP_NS" apply -f - <<LOAD
apiVersion: batch/v1
kind: Job
metadata: {name: load}
spec:
  parallelism: 4
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: load
          image: curlimages/curl:8.11.1
          command: [sh, -c, 'end=\$((\$(date +%s)+180)); while [ \$(date +%s) -lt \$end ]; do curl -s -o /dev/null -X POST -H "content-type: application/json" --data @/body/body.json http://$svc:8080/v2/models/ranking/infer; done']
          volumeMounts: [{name: body, mountPath: /body}]
      volumes: [{name: body, configMap: {name: load-body}}]
LOAD

deadline=$(( $(date +%s) + 240 ))
after=${before:-0}
while [ "$(date +%s)" -lt "$deadline" ]; do
  after=$(kubectl -n "$APP_NS" get recmodel ranking -o jsonpath='{.status.replicas}')
  if [ "${after:-0}" -gt "${before:-0}" ]; then
    break
  fi
  sleep 10
done
kubectl -n "$APP_NS" get recmodel ranking -o wide
kubectl -n "$APP_NS" get deployments -l serving.recoperator.io/model=ranking

if [ "${after:-0}" -gt "${before:-0}" ]; then
  log "PASS: the fleet scaled from ${before:-0} to $after replicas under load"
else
  die "FAIL: replicas stayed at ${after:-0} under load"
fi
