# syntax=docker/dockerfile:1
# LegalRag CLI image: build with the .NET SDK, run on the smaller ASP.NET runtime image (it also
# carries what a later web front end needs). Corpora are not baked in: mount the shared folder at /shared.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so source edits do not invalidate the package layer.
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY src/LegalRag.Core/LegalRag.Core.csproj src/LegalRag.Core/
COPY src/LegalRag.Ingestion/LegalRag.Ingestion.csproj src/LegalRag.Ingestion/
COPY src/LegalRag.Storage/LegalRag.Storage.csproj src/LegalRag.Storage/
COPY src/LegalRag.Retrieval/LegalRag.Retrieval.csproj src/LegalRag.Retrieval/
COPY src/LegalRag.Embeddings/LegalRag.Embeddings.csproj src/LegalRag.Embeddings/
COPY src/LegalRag.Evaluation/LegalRag.Evaluation.csproj src/LegalRag.Evaluation/
COPY src/LegalRag.Answering/LegalRag.Answering.csproj src/LegalRag.Answering/
COPY src/LegalRag.Server/LegalRag.Server.csproj src/LegalRag.Server/
COPY src/LegalRag.Cli/LegalRag.Cli.csproj src/LegalRag.Cli/
RUN dotnet restore src/LegalRag.Cli/LegalRag.Cli.csproj
COPY . .
RUN dotnet publish src/LegalRag.Cli/LegalRag.Cli.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
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
VOLUME ["/data"]
# The non-root user of the .NET images.
USER $APP_UID
ENTRYPOINT ["dotnet", "/app/legalrag.dll"]
CMD ["--help"]
