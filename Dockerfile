# syntax=docker/dockerfile:1
# LegalRag image: the CLI (`legalrag <command>`) and the chat server (`legalrag serve`). Built with the .NET
# SDK, run on the ASP.NET runtime image with what both need at run time: poppler and tesseract (de, fr, nl,
# en) for PDFs, and ONNX Runtime's native library, which comes with its NuGet package when publishing for
# linux-x64. Corpora are not baked in: mount the shared folder at /shared. Runs as the image's non-root user.
# tests/LegalRag.Server.Tests/DeploymentConsistencyTests keeps this file in step with the project.

# The web UI's SignalR browser client comes from npm (package-lock.json pins it).
FROM node:22-bookworm-slim AS webdeps
WORKDIR /web
COPY src/LegalRag.Server/package.json src/LegalRag.Server/package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so source edits do not invalidate the package layer.
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY src/LegalRag.Core/LegalRag.Core.csproj src/LegalRag.Core/
COPY src/LegalRag.Ingestion/LegalRag.Ingestion.csproj src/LegalRag.Ingestion/
COPY src/LegalRag.Storage/LegalRag.Storage.csproj src/LegalRag.Storage/
COPY src/LegalRag.Retrieval/LegalRag.Retrieval.csproj src/LegalRag.Retrieval/
COPY src/LegalRag.Embeddings/LegalRag.Embeddings.csproj src/LegalRag.Embeddings/
COPY src/LegalRag.Training/LegalRag.Training.csproj src/LegalRag.Training/
COPY src/LegalRag.Evaluation/LegalRag.Evaluation.csproj src/LegalRag.Evaluation/
COPY src/LegalRag.Answering/LegalRag.Answering.csproj src/LegalRag.Answering/
COPY src/LegalRag.Hosting/LegalRag.Hosting.csproj src/LegalRag.Hosting/
COPY src/LegalRag.Server/LegalRag.Server.csproj src/LegalRag.Server/
COPY src/LegalRag.Cli/LegalRag.Cli.csproj src/LegalRag.Cli/
COPY src/PretrainedPackages.props src/
# One runtime identifier: only the linux-x64 natives of ONNX Runtime are copied, not every platform's. The image
# serves national corpora with their own trained models, so the two English pretrained models (182 MB, for
# `legalrag model import` only) stay out: a publish is 66 MB instead of 248 MB.
RUN dotnet restore src/LegalRag.Cli/LegalRag.Cli.csproj -r linux-x64 -p:LegalRagPretrainedPackages=false
COPY . .
COPY --from=webdeps /web/node_modules/@microsoft/signalr/dist/browser/ src/LegalRag.Server/node_modules/@microsoft/signalr/dist/browser/
RUN dotnet publish src/LegalRag.Cli/LegalRag.Cli.csproj -c Release -r linux-x64 --self-contained false --no-restore -p:LegalRagPretrainedPackages=false -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# Run-time tools, the same list as runtime_packages in tools/setup.sh.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      poppler-utils \
      tesseract-ocr tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-nld tesseract-ocr-eng \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
# The CLI finds its corpus manifests (corpora/*.json) by walking up to the folder holding LegalRag.sln,
# so /app gets both and reads as the repository root.
COPY --from=build /src/LegalRag.sln /app/
COPY --from=build /src/corpora /app/corpora
ENV LEGALRAG_SHARED=/shared \
    LegalRag__SharedDirectory=/shared \
    LegalRag__DataDirectory=/data \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
# The data folder belongs to the non-root user, so a fresh named volume mounted there is writable.
RUN mkdir -p /data && chown "$APP_UID" /data
VOLUME ["/data"]
# The non-root user of the .NET images.
USER $APP_UID
EXPOSE 8080
ENTRYPOINT ["dotnet", "/app/legalrag.dll"]
CMD ["--help"]
