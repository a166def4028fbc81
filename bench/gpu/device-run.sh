#!/usr/bin/env bash
# The GPU figures of issue #12 on a device machine (docs/gpu.md, "Measuring on a device machine").
# A device machine reaches no registry and one call carries at most 64 MiB, so everything travels as xz chunks of at
# most 57 MiB: ONNX Runtime's GPU libraries (core 1.29.0 + CUDA 13 plugin provider, from `setup-onnxruntime.sh --gpu`)
# and a self-contained publish of the GPU bench (bench/Pod --gpu) and of `recop`, which need no .NET on the device.
#
#   bash bench/gpu/device-run.sh prepare      here: builds the chunks into .build/gpu-device/ and lists them
#   bash bench/gpu/device-run.sh prepare-app  here: only the app chunks again, after a code change
#   bash bench/gpu/device-run.sh stage        on the device, once per call that carries chunks: keeps them in /tmp
#   bash bench/gpu/device-run.sh run [S]      on the device: unpacks, runs the bench (S seconds per step, default 4),
#                                             then serves the fp16 artifact with `recop pod` on CUDA and sends it a
#                                             request; everything it prints is also written to $OUT (or .build/gpu-out)
#   bash bench/gpu/device-run.sh dry-run [S]  here: `run` from the prepared chunks with every GPU step on the CPU
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

CHUNKS=.build/gpu-device
STAGE=${RECOP_GPU_STAGE:-/tmp/recop-gpu}
CHUNK_SIZE=57m

prepare() {
  local what=${1:-all} work
  [ "$what" = app ] || bash scripts/setup-onnxruntime.sh --gpu
  work="$(mktemp -d)"
  # shellcheck disable=SC2064 # expand now: the trap must remove this very folder
  trap "rm -rf '$work'" RETURN
  mkdir -p "$CHUNKS" "$work/lib" "$work/app"
  if [ "$what" != app ]; then
    rm -f "$CHUNKS"/ortgpu.part.*
    cp .native/onnxruntime-gpu/*.so "$work/lib/"
    tar -C "$work" -cf - lib | xz -T0 -6 | split -b "$CHUNK_SIZE" - "$CHUNKS/ortgpu.part."
  fi
  # Invariant globalization: the device image need not have ICU. The CPU library stays out: the GPU core serves both.
  rm -f "$CHUNKS"/app.part.*
  for project in bench/Pod src/Cli; do
    dotnet publish "$project" -c Release -r linux-x64 --self-contained -p:InvariantGlobalization=true -o "$work/app" --nologo -v q
  done
  rm -f "$work/app/libonnxruntime.so.1"
  tar -C "$work" -cf - app | xz -T0 -6 | split -b "$CHUNK_SIZE" - "$CHUNKS/app.part."
  ls -la "$CHUNKS"
  echo "device-run: carry each of these in its own call (back to back: the device keeps /tmp only while warm),"
  echo "  with the command 'bash bench/gpu/device-run.sh stage'; carry the last one with 'bash bench/gpu/device-run.sh run':"
  ls "$CHUNKS"/*.part.*
}

stage() {
  mkdir -p "$STAGE"
  local found=0 part
  for part in "$CHUNKS"/*.part.*; do
    [ -f "$part" ] || continue
    cp "$part" "$STAGE/"
    found=1
  done
  [ "$found" = 1 ] || { echo "device-run: no chunk in $CHUNKS; name one in the call's carry" >&2; return 1; }
  ls -la "$STAGE"
}

unpack() {
  local name=$1
  [ -d "$STAGE/$2" ] && return 0
  ls "$STAGE/$name".part.* >/dev/null 2>&1 || { echo "device-run: no $name chunks in $STAGE; stage them first" >&2; return 1; }
  cat "$STAGE/$name".part.* | xz -d | tar -x -C "$STAGE"
}

# The CUDA 13 libraries the provider links (libcublas.so.13, libcudart.so.13 ...): CUDA_LIB_DIRS when set, else the
# NVIDIA wheels of a Python environment and the CUDA toolkit, where the device machines have them.
cuda_library_path() {
  if [ -n "${CUDA_LIB_DIRS:-}" ]; then echo "$CUDA_LIB_DIRS"; return; fi
  local dirs=() d
  for d in /opt/*/.venv/lib/python3*/site-packages/nvidia/*/lib /usr/local/lib/python3*/dist-packages/nvidia/*/lib /usr/local/cuda/lib64; do
    [ -d "$d" ] && dirs+=("$d")
  done
  (IFS=:; echo "${dirs[*]}")
}

run() {
  local seconds=${1:-4} provider=${2:-Cuda} out=${OUT:-.build/gpu-out}
  mkdir -p "$out"
  stage >/dev/null 2>&1 || true
  unpack ortgpu lib
  unpack app app
  export LD_LIBRARY_PATH
  LD_LIBRARY_PATH="$(cuda_library_path)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export ORT_LIBRARY_PATH="$STAGE/lib/libonnxruntime.so"
  { command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "no nvidia-smi"; } | tee "$out/device.txt"
  local models="$STAGE/models"
  "$STAGE/app/RecOperator.Bench.Pod" --gpu --gpu-provider "$provider" --seconds "$seconds" --threads "$(( $(nproc) / 2 ))" --models "$models" 2>&1 | tee "$out/gpu-bench.txt"
  serve_one_request "$provider" "$models" 2>&1 | tee "$out/pod-on-gpu.txt"
}

# `recop pod` as its own process on the provider, serving the optimizer's fp16 artifact: ready, one request, SIGTERM.
serve_one_request() {
  local provider=$1 models=$2 port=18080 pid status
  "$STAGE/app/recop" pod --model-name dlrm --variant gpu-fp16 --artifact "$models/fp16/dlrm-v2.fp16.onnx" --bind 127.0.0.1 \
    --http-port "$port" --grpc-port 18081 --execution-provider "$provider" --drain-delay-ms 0 > "$STAGE/pod.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$port/v2/health/ready" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { echo "pod exited:"; cat "$STAGE/pod.log"; return 1; }
    sleep 0.5
  done
  status=$(curl -s -o "$STAGE/response.json" -w '%{http_code} in %{time_total} s' -H 'Content-Type: application/json' \
    --data-binary "@$models/request-20.json" "http://127.0.0.1:$port/v2/models/dlrm/infer")
  echo "recop pod --execution-provider $provider: POST /v2/models/dlrm/infer (20 candidates) -> HTTP $status"
  head -c 300 "$STAGE/response.json"; echo
  kill -TERM "$pid"; wait "$pid" || true
  grep -i -m3 "provider\|ready" "$STAGE/pod.log" || true
}

case "${1:-}" in
  prepare) prepare all ;;
  prepare-app) prepare app ;;
  stage) stage ;;
  run) shift; run "${1:-4}" Cuda ;;
  dry-run) shift; RECOP_GPU_STAGE=${RECOP_GPU_STAGE:-/tmp/recop-gpu-dry}; STAGE=$RECOP_GPU_STAGE; run "${1:-2}" CPU ;;
  *) echo "usage: $0 prepare | prepare-app | stage | run [SECONDS] | dry-run [SECONDS]" >&2; exit 2 ;;
esac
