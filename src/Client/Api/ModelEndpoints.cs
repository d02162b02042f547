using System.Text.Json;
using Enrichment.Abstractions;

namespace Enrichment.Client.Api;

/// <summary>Cluster, model versions and training: read-only views open, actions behind the admin token.</summary>
public static class ModelEndpoints
{
    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        var reads = app.MapClusterReads();
        reads.MapGet("/api/cluster/silos", async (IGrainFactory grains) =>
            Results.Ok(await grains.GetGrain<IModelDeploymentGrain>(0).Status()));

        reads.MapGet("/api/models", async (IGrainFactory grains) =>
        {
            var registry = grains.GetGrain<IModelRegistryGrain>(0);
            var current = await registry.GetCurrent();
            // How many products carry each version's predictions: one grouped count on the read model's index.
            var carried = (await grains.GetGrain<ICatalogSearchGrain>(0).CountByModelVersion()).ToDictionary(c => c.VersionId, c => c.Products);
            var versions = (await registry.List()).Select(v => new
            {
                v.VersionId, v.RegisteredAt, v.Metrics, v.Source, v.WeightsLength, v.Verdict, v.Evaluation, v.Inputs, v.AutoApply,
                Current = v.VersionId == current?.VersionId,
                Products = carried.GetValueOrDefault(v.VersionId),
                // What the console must confirm (and ask a reason for) before deploying this version.
                Caution = DeploymentRules.Caution(v, current),
            });
            return Results.Ok(new { current = current?.VersionId, versions, reEnrichment = await grains.GetGrain<IReEnrichmentGrain>(0).Status() });
        });

        reads.MapGet("/api/models/{versionId}", async Task<IResult> (string versionId, IGrainFactory grains) =>
        {
            var registry = grains.GetGrain<IModelRegistryGrain>(0);
            var current = await registry.GetCurrent();
            if ((await registry.List()).FirstOrDefault(v => v.VersionId == versionId) is not { } version)
            {
                return TypedResults.Problem($"no model version '{ProductEventValidator.Excerpt(versionId)}' is registered", statusCode: 404);
            }
            // What its thresholds cover in the catalogue now: provenance counts among the products it enriched.
            var page = await grains.GetGrain<ICatalogSearchGrain>(0).Search(new CatalogQuery { ModelVersion = versionId, Limit = 1, IncludeFacets = true });
            var catalogue = page.Facets?.FirstOrDefault(f => f.Attribute == ProvenanceFacet.Name)?.Values ?? [];
            return TypedResults.Ok(new
            {
                version.VersionId, version.RegisteredAt, version.Source, version.Inputs, version.Metrics, version.Verdict, version.Evaluation,
                version.AutoApply, Current = version.VersionId == current?.VersionId,
                Catalogue = new { Enriched = page.Total, page.Estimated, Provenance = catalogue },
            });
        });

        reads.MapGet("/api/models/{versionId}/quality", async Task<IResult> (string versionId, IGrainFactory grains) =>
            !(await grains.GetGrain<IModelRegistryGrain>(0).List()).Any(v => v.VersionId == versionId)
                ? TypedResults.Problem($"no model version '{ProductEventValidator.Excerpt(versionId)}' is registered", statusCode: 404)
            : await grains.GetGrain<IModelQualityGrain>(versionId).Get() is { } json
                ? TypedResults.Text(json, "application/json")
                : TypedResults.Problem($"model version '{ProductEventValidator.Excerpt(versionId)}' has no quality report yet: score it on the evaluation set " +
                                       "(POST /api/admin/models/{versionId}/evaluate) or let a training job compare it", statusCode: 404));

        reads.MapGet("/api/deployments", async (IGrainFactory grains) => Results.Ok(await grains.GetGrain<IModelDeploymentGrain>(0).History()));

        var training = app.MapGroup("/api/training").AddEndpointFilter<ClusterUnavailableFilter>();
        training.MapGet("", async (IGrainFactory grains) =>
            Results.Ok(new { current = await grains.GetGrain<ITrainingGrain>(0).GetStatus(), history = await grains.GetGrain<ITrainingGrain>(0).History() }))
            .AddEndpointFilter<BoundedClusterCallFilter>(); // not the stream: it lasts as long as its reader

        training.MapGet("/stream", StreamTrainingAsync);

        var admin = app.MapAdminActions();
        admin.MapPost("/training", async (TrainingRequest? request, IGrainFactory grains) =>
        {
            request ??= new TrainingRequest();
            request = request with { By = string.IsNullOrWhiteSpace(request.By) ? "api" : request.By.Trim() };
            if (TrainingRequestRules.Validate(request) is { Count: > 0 } errors)
            {
                return Results.Problem(string.Join("; ", errors), statusCode: 400, title: "invalid training request");
            }
            try
            {
                return Results.Ok(await grains.GetGrain<ITrainingGrain>(0).Start(request));
            }
            catch (InvalidOperationException ex)
            {
                return Results.Problem(ex.Message, statusCode: 409);
            }
            catch (ArgumentException ex)
            {
                return Results.Problem(ex.Message, statusCode: 400);
            }
        });
        admin.MapPost("/training/cancel", async (IGrainFactory grains) => Results.Ok(await grains.GetGrain<ITrainingGrain>(0).Cancel()));
        admin.MapPost("/models/{versionId}/deploy", async (string versionId, DeployBody? body, IGrainFactory grains) =>
        {
            try
            {
                var by = string.IsNullOrWhiteSpace(body?.By) ? "console" : body.By.Trim();
                var report = await grains.GetGrain<IModelDeploymentGrain>(0).Deploy(new DeploymentRequest(versionId, by, body?.Reason?.Trim()));
                if (!report.Deployed)
                {
                    return Results.Problem(report.Refused, statusCode: 409, title: "deployment refused");
                }
                // Asked for, the catalogue follows the deployment: products carrying other versions' values are enriched again.
                var reEnrichment = body?.ReEnrich == true ? await grains.GetGrain<IReEnrichmentGrain>(0).Start(new ReEnrichmentRequest(versionId, by)) : null;
                return Results.Ok(new { report.Deployed, report.Silos, reEnrichment });
            }
            catch (ArgumentException ex)
            {
                return Results.Problem(ex.Message, statusCode: 404);
            }
        }).WithMetadata(DeploymentCallBound.Instance);
        admin.MapPost("/models/{versionId}/evaluate", async (string versionId, IGrainFactory grains) =>
            await grains.GetGrain<ITrainingGrain>(0).Evaluate(versionId)
                ? Results.Accepted($"/api/models", new { versionId, message = "scoring on the evaluation set; the score appears on the version" })
                : Results.Problem("a scoring is already under way; try again when it has finished", statusCode: 409));
        reads.MapGet("/api/reenrichment", async (IGrainFactory grains) => Results.Ok(await grains.GetGrain<IReEnrichmentGrain>(0).Status()));
        admin.MapPost("/reenrichment", async (ReEnrichBody? body, IGrainFactory grains) =>
        {
            var version = string.IsNullOrWhiteSpace(body?.Version) ? (await grains.GetGrain<IModelRegistryGrain>(0).GetCurrent())?.VersionId : body.Version.Trim();
            if (version is null)
            {
                return Results.Problem("no model is served yet: nothing to re-enrich towards", statusCode: 409);
            }
            if (!(await grains.GetGrain<IModelRegistryGrain>(0).List()).Any(v => v.VersionId == version))
            {
                return Results.Problem($"no model version '{ProductEventValidator.Excerpt(version)}' is registered", statusCode: 404);
            }
            try
            {
                var by = string.IsNullOrWhiteSpace(body?.By) ? "console" : body.By.Trim();
                return Results.Accepted("/api/reenrichment", await grains.GetGrain<IReEnrichmentGrain>(0).Start(new ReEnrichmentRequest(version, by)));
            }
            catch (ArgumentException ex)
            {
                return Results.Problem(ex.Message, statusCode: 400);
            }
        });
        admin.MapPost("/reenrichment/cancel", async (IGrainFactory grains) => Results.Ok(await grains.GetGrain<IReEnrichmentGrain>(0).Cancel()));
        admin.MapPost("/products/{id}/enrich", async (string id, IGrainFactory grains) =>
            await grains.GetGrain<IProductGrain>(id).Enrich(force: true) is { } view ? Results.Ok(view) : Results.NotFound());
        return app;
    }

    /// <summary>Who deploys and why; a reason is required for a rejected or older version.</summary>
    /// <param name="ReEnrich">Re-enrich, in bounded pages, the products whose predictions came from other versions.</param>
    public sealed record DeployBody(string? By, string? Reason, bool? ReEnrich = null);

    /// <summary>Who asks, and towards which version (the served one when absent).</summary>
    public sealed record ReEnrichBody(string? By, string? Version);

    /// <summary>
    /// Server-sent events: the status now, then the shared feed's readings. The first read is this request's own, so a
    /// cluster without an accelerator silo answers 503 like the other training views.
    /// </summary>
    private static async Task<IResult> StreamTrainingAsync(IGrainFactory grains, TrainingStatusFeed feed,
        Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var first = await grains.GetGrain<ITrainingGrain>(0).GetStatus();
        var options = json.Value.SerializerOptions;
        return TypedResults.ServerSentEvents(Serialized(feed.Listen(first, ct), options, ct));
    }

    private static async IAsyncEnumerable<string> Serialized(IAsyncEnumerable<TrainingJobStatus?> statuses, JsonSerializerOptions options,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var status in statuses.WithCancellation(ct))
        {
            yield return JsonSerializer.Serialize(status, options);
        }
    }
}
