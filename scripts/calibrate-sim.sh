#!/usr/bin/env bash
# Measures the latency curves `recop sim` uses for the sample fleet's CPU variants and writes
# bench/results/latency-calibration.json: the reference user-candidate model, fp32 (cpu-fp32) and int8-dynamic
# (cpu-int8), each served by one real inference pod under open-loop Poisson load (`optimize profile --load-test
# --latency-points`) with the sample's request (20 candidates), batching (25 requests = 512 rows, 2 ms) and SLO
# (25 ms). gpu-fp16 needs a CUDA host and keeps the guessed curve. About 2 minutes; the pod and the load generator
# share this host's cores, so the curves describe this machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v jq >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
  echo "calibrate-sim: installing jq (Debian package) to join the two variants' points" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends jq >/dev/null
fi
seconds="${1:-3}"
out="bench/results/latency-calibration.json"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

./recop optimize build --model user-candidate --out "$work/fp32" >/dev/null
./recop optimize quantize --mode int8-dynamic --in "$work/fp32/user-candidate.onnx" --out "$work/int8" >/dev/null
int8_model="$(find "$work/int8" -name '*.onnx' | head -n 1)"

profile() { # variant model
  echo "calibrate-sim: $1 ($2)" >&2
  ./recop optimize profile --in "$2" --out "$work/$1-profile" --p99-ms 25 --candidates 20 --threads 1 \
    --max-batch 25 --max-delay-ms 2 --load-test --seconds-per-rate "$seconds" --latency-points "$work/$1.json" >&2
}
profile cpu-fp32 "$work/fp32/user-candidate.onnx"
profile cpu-int8 "$int8_model"

jq -n --arg source "scripts/calibrate-sim.sh $seconds on $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M') UTC" \
  --slurpfile fp32 "$work/cpu-fp32.json" --slurpfile int8 "$work/cpu-int8.json" \
  '{source: $source, variants: {"cpu-int8": $int8[0], "cpu-fp32": $fp32[0]}}' >"$out"
echo "calibrate-sim: wrote $out" >&2
