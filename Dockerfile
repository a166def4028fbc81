# RecOperator images, one multi-stage file, one target per image:
#
#   docker build --target operator   -t ghcr.io/recoperator/rec-operator:0.1.0 .   # runs `recop operator`
#   docker build --target recpod     -t ghcr.io/recoperator/recpod:0.1.0 .         # runs `recop pod`, ONNX Runtime CPU
#   docker build --target recpod-gpu -t ghcr.io/recoperator/recpod-gpu:0.1.0 .     # runs `recop pod`, ONNX Runtime CUDA
#
# Every base image is pinned to an exact version tag (a test rejects `latest` and untagged images). The three
# targets share one `dotnet publish` of the recop CLI, which holds both the operator and the inference pod; the
# Deployment picks the role by its first argument. Runtime images run as the non-root UID 1654 (numeric, so the
# kubelet can enforce runAsNonRoot) with no shell in the chiseled ones.

# ---- build: publish the recop CLI once (framework-dependent, no apphost: the runtime images bring .NET) ----
FROM mcr.microsoft.com/dotnet/sdk:10.0.401-noble AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ src/
RUN dotnet restore src/Cli/RecOperator.Cli.csproj
RUN dotnet publish src/Cli/RecOperator.Cli.csproj -c Release --no-restore -o /app/publish -p:UseAppHost=false

# ---- ort-cpu: ONNX Runtime 1.30.0's CPU library, fetched exactly as on developer machines ----
# scripts/setup-onnxruntime.sh takes it from the npm package onnxruntime-node@1.30.0 (`npm pack`, no install script
# runs) and refuses it unless its sha256 matches the pinned one, so images and tests load the very same bytes.
FROM node:22.12.0-bookworm-slim AS ort-cpu
WORKDIR /src
COPY scripts/setup-onnxruntime.sh scripts/
RUN bash scripts/setup-onnxruntime.sh --native-only

# ---- ort-gpu: ONNX Runtime 1.29.0's core and its CUDA 13 plugin provider, fetched exactly as on developer machines ----
# `setup-onnxruntime.sh --gpu` takes them from the npm packages com.github.asus4.onnxruntime(-linux-x64-gpu)@0.4.9
# (`npm pack`, no install script runs) and refuses any file whose sha256 differs from the pinned one. The core is a CPU
# build; the pod finds libonnxruntime_providers_cuda.so beside it and registers it as a plugin execution provider
# (RECPOD_EXECUTION_PROVIDER=Cuda), the route measured on an H100 (docs/gpu.md).
FROM node:22.12.0-bookworm-slim AS ort-gpu
WORKDIR /src
COPY scripts/setup-onnxruntime.sh scripts/
RUN bash scripts/setup-onnxruntime.sh --gpu \
 && ls /src/.native/onnxruntime-gpu/libonnxruntime.so /src/.native/onnxruntime-gpu/libonnxruntime_providers_cuda.so /src/.native/onnxruntime-gpu/libonnxruntime_providers_shared.so

# ---- dotnet-runtime: the ASP.NET Core runtime files the GPU image copies (CUDA images have no .NET) ----
FROM mcr.microsoft.com/dotnet/aspnet:10.0.12-noble AS dotnet-runtime

# ---- operator: the controller manager image ----
FROM mcr.microsoft.com/dotnet/aspnet:10.0.12-noble-chiseled AS operator
WORKDIR /app
COPY --from=build /app/publish/ /app/
USER 1654
# /healthz, /readyz and /metrics (`recop operator --health-port`).
EXPOSE 8081
ENTRYPOINT ["dotnet", "/app/recop.dll"]
CMD ["operator"]

# ---- recpod: the inference pod for CPU variants ----
FROM mcr.microsoft.com/dotnet/aspnet:10.0.12-noble-chiseled AS recpod
WORKDIR /app
COPY --from=build /app/publish/ /app/
# In the app folder, where the binding looks first (after ORT_LIBRARY_PATH).
COPY --from=ort-cpu /src/.native/onnxruntime/libonnxruntime.so.1 /app/libonnxruntime.so.1
USER 1654
# Open Inference Protocol: HTTP/JSON (and /metrics) on 8080, gRPC on 8081.
EXPOSE 8080 8081
ENTRYPOINT ["dotnet", "/app/recop.dll"]
CMD ["pod"]

# ---- recpod-gpu: the inference pod for Gpu variants ----
# Needs a node with an NVIDIA driver for CUDA 13 (>= 580) and the NVIDIA container toolkit or device plugin; the
# pod asks for the pool's accelerator resource (nvidia.com/gpu) and the operator picks this image for Gpu variants.
# The CUDA image brings the libraries the provider links (libcublas.so.13, libcublasLt.so.13, libcurand.so.10,
# libcudart.so.13) and cuDNN.
FROM nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04 AS recpod-gpu
RUN apt-get update -q && apt-get install -y -q --no-install-recommends ca-certificates libssl3t64 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 1654 --user-group --no-create-home --shell /usr/sbin/nologin app
COPY --from=dotnet-runtime /usr/share/dotnet /usr/share/dotnet
ENV DOTNET_ROOT=/usr/share/dotnet \
    ORT_LIBRARY_PATH=/opt/onnxruntime
WORKDIR /app
COPY --from=build /app/publish/ /app/
COPY --from=ort-gpu /src/.native/onnxruntime-gpu/ /opt/onnxruntime/
USER 1654
EXPOSE 8080 8081
ENTRYPOINT ["/usr/share/dotnet/dotnet", "/app/recop.dll"]
CMD ["pod"]
