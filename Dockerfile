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

# ---- ort-gpu: ONNX Runtime 1.30.0's official GPU build (CUDA 12, cuDNN 9) ----
# The NuGet package Microsoft.ML.OnnxRuntime.Gpu.Linux holds a core library built with the CUDA and TensorRT
# providers (libonnxruntime.so) and the provider libraries it loads from its own folder. The pod selects CUDA
# through the V2 option APIs (RECPOD_EXECUTION_PROVIDER=Cuda); see docs/install.md "GPU image".
# Pass --build-arg ORT_GPU_SHA256=<sha256 of the .nupkg> to pin the download (release builds must).
FROM node:22.12.0-bookworm-slim AS ort-gpu
ARG ORT_GPU_VERSION=1.30.0
ARG ORT_GPU_SHA256=""
WORKDIR /ort
ADD https://api.nuget.org/v3-flatcontainer/microsoft.ml.onnxruntime.gpu.linux/${ORT_GPU_VERSION}/microsoft.ml.onnxruntime.gpu.linux.${ORT_GPU_VERSION}.nupkg /ort/ort-gpu.nupkg
RUN if [ -n "$ORT_GPU_SHA256" ]; then echo "$ORT_GPU_SHA256  /ort/ort-gpu.nupkg" | sha256sum -c -; fi \
 && apt-get update -q && apt-get install -y -q --no-install-recommends unzip \
 && unzip -q -j /ort/ort-gpu.nupkg 'runtimes/linux-x64/native/*.so' -d /ort/lib \
 && ls /ort/lib/libonnxruntime.so /ort/lib/libonnxruntime_providers_cuda.so /ort/lib/libonnxruntime_providers_shared.so

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
# Needs a node with an NVIDIA driver for CUDA 12 (>= 525) and the NVIDIA container toolkit or device plugin; the
# pod asks for the pool's accelerator resource (nvidia.com/gpu) and the operator picks this image for Gpu variants.
FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04 AS recpod-gpu
RUN apt-get update -q && apt-get install -y -q --no-install-recommends ca-certificates libssl3t64 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 1654 --user-group --no-create-home --shell /usr/sbin/nologin app
COPY --from=dotnet-runtime /usr/share/dotnet /usr/share/dotnet
ENV DOTNET_ROOT=/usr/share/dotnet \
    ORT_LIBRARY_PATH=/opt/onnxruntime
WORKDIR /app
COPY --from=build /app/publish/ /app/
COPY --from=ort-gpu /ort/lib/ /opt/onnxruntime/
USER 1654
EXPOSE 8080 8081
ENTRYPOINT ["/usr/share/dotnet/dotnet", "/app/recop.dll"]
CMD ["pod"]
