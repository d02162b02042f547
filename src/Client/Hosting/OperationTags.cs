using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Enrichment.Client.Hosting;

/// <summary>
/// Groups operations by what a team does with them (the reference's sidebar), from the route alone, so an endpoint
/// added later is grouped without anyone remembering to tag it. Admin routes join their area; the token they need is
/// in the document's description.
/// </summary>
internal sealed class OperationTags : IOpenApiOperationTransformer, IOpenApiDocumentTransformer
{
    private static readonly Dictionary<string, string> Descriptions = new()
    {
        ["Catalogue"] = "Products, their photos and search",
        ["Ingest"] = "Catalogue events in, and the ones refused",
        ["Review"] = "The review queues and review decisions",
        ["Model versions"] = "Model versions, training, deployment and the silos that serve them",
        ["Enrichment"] = "The enrichment queue, forced re-enrichment and re-enrichment after a deployment or rollback",
        [OperationalEndpoints.Tag] = "Probes and metrics for operators",
    };

    /// <summary>Runs after every operation's: the document lists exactly the tags its operations use (not the defaults they replaced).</summary>
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var used = (document.Paths ?? []).Values.SelectMany(item => item.Operations?.Values.AsEnumerable() ?? [])
            .SelectMany(operation => operation.Tags?.AsEnumerable() ?? []).Select(tag => tag.Name).OfType<string>().ToHashSet();
        document.Tags = used.Order(StringComparer.Ordinal)
            .Select(name => new OpenApiTag { Name = name, Description = Descriptions.GetValueOrDefault(name) }).ToHashSet();
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var segments = (context.Description.RelativePath ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (context.Document is { } document && Area(segments) is { } area)
        {
            operation.Tags = new HashSet<OpenApiTagReference> { new(area, document) };
        }
        return Task.CompletedTask;
    }

    private static string? Area(string[] segments)
    {
        var rest = segments.SkipWhile(s => s is "api" or "admin").ToArray();
        if (rest.Length == 0)
        {
            return null;
        }
        return rest[^1] switch
        {
            "review" or "reviewed" or "undo" => "Review",
            "enrich" => "Enrichment",
            _ => rest[0] switch
            {
                "review" => "Review",
                "products" or "images" => "Catalogue",
                "events" or "rejected" => "Ingest",
                "models" or "deployments" or "cluster" or "training" => "Model versions",
                "enrichment" or "reenrichment" => "Enrichment",
                _ => null,
            },
        };
    }
}
