# syntax=docker/dockerfile:1
# Client image: the HTTP API (`serve`) and the ingest CLI (`ingest`). Build context: the repository root.
#   docker build -f deploy/client.Dockerfile .
# The bundled sample catalogue is copied to /app/data/sample so `ingest` works out of the box.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY build/ build/
COPY src/Abstractions/Enrichment.Abstractions.csproj src/Abstractions/
COPY src/Client/Enrichment.Client.csproj src/Client/
RUN dotnet restore src/Client/Enrichment.Client.csproj
COPY src/Abstractions/ src/Abstractions/
COPY src/Client/ src/Client/
RUN dotnet publish src/Client/Enrichment.Client.csproj -c Release --no-restore -o /app

# The client is an ASP.NET Core app (Microsoft.NET.Sdk.Web): the aspnet runtime image.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
WORKDIR /app
COPY --from=build /app ./
COPY data/sample/ /app/data/sample/
EXPOSE 5080
ENTRYPOINT ["dotnet", "Enrichment.Client.dll"]
CMD ["serve", "--urls", "http://0.0.0.0:5080"]
