# syntax=docker/dockerfile:1
# Silo image. Build context: the repository root (see docker-compose.yml).
#   CPU build (default):  docker build -f deploy/silo.Dockerfile .
#   GPU build:            docker build -f deploy/silo.Dockerfile --build-arg TorchDevice=cuda .
#   Products only:        docker build -f deploy/silo.Dockerfile --build-arg SiloRole=Products .
# TorchDevice=cuda swaps libtorch-cpu-linux-x64 for TorchSharp-cuda-linux (src/Models/Enrichment.Models.csproj);
# the CUDA libraries come with that package, the host only needs the NVIDIA driver + container toolkit.
# SiloRole (src/Silo/Enrichment.Silo.csproj): All = products, model serving and training; Products = products only,
# published without TorchSharp or libtorch (TorchDevice then changes nothing).
ARG TorchDevice=cpu
ARG SiloRole=All

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TorchDevice
ARG SiloRole
WORKDIR /src
# Restore first, from the project files only, so source edits do not invalidate the (large) package layer.
COPY Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY build/ build/
COPY src/Abstractions/Enrichment.Abstractions.csproj src/Abstractions/
COPY src/Models/Enrichment.Models.csproj src/Models/
COPY src/Persistence/Enrichment.Persistence.csproj src/Persistence/
COPY src/Evaluation/Enrichment.Evaluation.csproj src/Evaluation/
COPY src/Grains/Catalog/Enrichment.Grains.Catalog.csproj src/Grains/Catalog/
COPY src/Grains/Serving/Enrichment.Grains.Serving.csproj src/Grains/Serving/
COPY src/Grains/Training/Enrichment.Grains.Training.csproj src/Grains/Training/
COPY src/Silo/Enrichment.Silo.csproj src/Silo/
RUN dotnet restore src/Silo/Enrichment.Silo.csproj -p:TorchDevice=${TorchDevice} -p:SiloRole=${SiloRole}
COPY src/Abstractions/ src/Abstractions/
COPY src/Evaluation/ src/Evaluation/
COPY src/Models/ src/Models/
COPY src/Persistence/ src/Persistence/
COPY src/Grains/ src/Grains/
COPY src/Silo/ src/Silo/
RUN dotnet publish src/Silo/Enrichment.Silo.csproj -c Release --no-restore -p:TorchDevice=${TorchDevice} -p:SiloRole=${SiloRole} -o /app

# The silo is a plain .NET app (Microsoft.NET.Sdk): the runtime image is enough.
FROM mcr.microsoft.com/dotnet/runtime:10.0 AS final
ARG TorchDevice
ARG SiloRole
# tcmalloc makes large libtorch batches several times faster than glibc malloc (README, "machine traps").
# Ubuntu 24.04 (the .NET 10 default images) calls the package libtcmalloc-minimal4t64, Debian 12 libtcmalloc-minimal4.
RUN apt-get update \
 && (apt-get install -y --no-install-recommends libtcmalloc-minimal4t64 || apt-get install -y --no-install-recommends libtcmalloc-minimal4) \
 && rm -rf /var/lib/apt/lists/*
ENV LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 \
    DOTNET_gcServer=1 \
    ENRICHMENT_Enrichment__Models__CacheDirectory=/var/cache/enrichment-models
LABEL org.opencontainers.image.title="enrichment-silo" enrichment.torch-device="${TorchDevice}" enrichment.silo-role="${SiloRole}"
WORKDIR /app
COPY --from=build /app ./
RUN mkdir -p /var/cache/enrichment-models
ENTRYPOINT ["dotnet", "Enrichment.Silo.dll"]
