using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Enrichment.Client.Hosting;

/// <summary>
/// The API described: an OpenAPI 3.1 document generated from the mapped endpoints at <see cref="DocumentPath"/>, and an
/// interactive reference at <see cref="ReferencePath"/> whose script ships inside Scalar.AspNetCore (no CDN, no web
/// fonts, no telemetry: the reference must work on a network that reaches nothing else).
/// </summary>
public static class ApiDescription
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/scalar";

    public static IServiceCollection AddApiDescription(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            // 3.1 is .NET 10's default; named so that a package update cannot silently change what clients get.
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Enrichment.Orleans API",
                    Version = DocumentName,
                    Description = "Catalogue search, review, ingest, model training and deployment. Errors are RFC 9457 problem details. " +
                        "/api/admin/* needs the admin token (X-Admin-Token or Bearer); POST /api/events needs the ingest token when one is set.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer<OperationTags>();
            options.AddDocumentTransformer<OperationalEndpoints>();
            options.AddDocumentTransformer<OperationTags>(); // last: it lists the tags the operations above use
        });

    public static WebApplication MapApiDescription(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference(ReferencePath, options =>
        {
            options.WithTitle("Enrichment.Orleans API reference")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .AddDocument(DocumentName)
                // A fresh nonce per response: SecurityHeaders puts it in script-src, so only this page's own
                // bootstrap script runs inline, and the rest of the site keeps its strict policy.
                .WithNonce();
            // Nothing that talks to Scalar's servers: no web fonts, telemetry, AI chat or MCP, no developer toolbar.
            options.DefaultFonts = false;
            options.Telemetry = false;
            options.HideDeveloperTools().DisableAgent().DisableMcp();
        });
        return app;
    }
}
