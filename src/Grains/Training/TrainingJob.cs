using Enrichment.Abstractions;
using Enrichment.Grains.Serving;
using Enrichment.Models;
using Enrichment.Models.Networks;
using Enrichment.Persistence.Catalog;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace Enrichment.Grains.Training;

/// <summary>
/// One retraining run, start to finish, on a thread-pool thread of a model silo: export the labelled catalogue,
/// train with per-epoch validation, compare the best checkpoint with the served model on the same held-out rows,
/// register it, promote it if the policy allows, optionally re-enrich the catalogue.
/// </summary>
public sealed class TrainingJob(IGrainFactory grains, ICatalogReadModel readModel, ModelHostOptions hostOptions, ILogger logger)
{
    private const int MinimumRows = 20;

    public async Task RunAsync(TrainingRequest request, string workDir, TrainingJobProgress progress, CancellationToken ct)
    {
        progress.Phase("exporting");
        var imagesDir = Path.Combine(workDir, "images");
        var (rows, productIds) = await new CatalogExporter(readModel, grains).ExportAsync(imagesDir, ct);
        if (rows.Count < MinimumRows)
        {
            throw new InvalidOperationException($"only {rows.Count} products have a photo and a known type and colour; at least {MinimumRows} are needed");
        }
        progress.Update(s => s with { TrainingRows = rows.Count, Phase = "loading" });

        var split = new SplitOptions(request.Seed);
        var parts = DatasetSplit.Create(rows, split);
        var min = request.MinClassCount;
        var vocab = ModelVocabularies.Build(parts.Train, new ModelVocabularies.BuildOptions(min, min, min, BrandLexiconMinCount: Math.Max(2, min / 2), MinWordCount: 2));
        var options = new ModelOptions
        {
            // Validated on start; an unknown name must never fall back to a network nobody asked for.
            Architecture = request.Architecture.ToLowerInvariant() switch
            {
                "resnet50" => Architecture.ResNet50,
                "resnet18" => Architecture.ResNet18,
                _ => throw new ArgumentException($"architecture '{request.Architecture}' is not known"),
            },
            BaseWidth = request.BaseWidth,
        };
        var train = LabeledSet.Build(parts.Train, imagesDir, options.Preprocessing, vocab, options.MaxCaptionTokens, cancellationToken: ct);
        var valid = LabeledSet.Build(parts.Valid, imagesDir, options.Preprocessing, vocab, options.MaxCaptionTokens, cancellationToken: ct);
        var device = TorchDevices.Select(hostOptions.Device);

        TrainingResult result;
        using (var net = new FashionNet(options, vocab.Labels.Colour.Count, vocab.Labels.Brand.Count, vocab.Labels.Type.Count, vocab.Words.Count))
        {
            var trainer = new Trainer(new TrainerOptions
            {
                Epochs = request.Epochs,
                BatchSize = request.BatchSize,
                LearningRate = request.LearningRate,
                Seed = request.Seed,
                TimeBudget = request.TimeBudget,
                WarmupIterations = 10,
            });
            result = trainer.Train(net, vocab, train, valid, device, Path.Combine(workDir, "run"), split,
                progress: new SynchronousProgress(progress.Report), cancellationToken: ct);
        }
        if (result.BestCheckpoint is null)
        {
            throw new InvalidOperationException("training produced no checkpoint");
        }

        progress.Phase("validating");
        var registry = grains.GetGrain<IModelRegistryGrain>(0);
        var served = await registry.GetCurrent();
        double? servedScore = served is null ? null : await ScoreServedAsync(served, parts.Valid, imagesDir, device, ct);
        progress.Update(s => s with { CandidateScore = result.BestScore, ServedVersionBefore = served?.VersionId, ServedScore = servedScore });

        progress.Phase("registering");
        var version = await new ModelWeightsStore(grains).UploadAsync(result.BestCheckpoint, $"training job {progress.Status.JobId}", ct);
        await registry.Register(version);
        progress.Update(s => s with { CandidateVersion = version.VersionId });

        var promote = request.Policy switch
        {
            PromotionPolicy.Always => true,
            PromotionPolicy.Never => false,
            _ => servedScore is null || result.BestScore >= servedScore - request.Tolerance,
        };
        if (!promote)
        {
            var state = request.Policy == PromotionPolicy.Never ? TrainingState.Registered : TrainingState.Rejected;
            progress.Update(s => s with
            {
                State = state,
                Message = state == TrainingState.Rejected
                    ? $"candidate scored {result.BestScore:P2} < served {servedScore:P2} - tolerance; served model kept"
                    : "registered without promotion (policy Never)",
            });
            return;
        }

        progress.Phase("deploying");
        var report = await grains.GetGrain<IModelDeploymentGrain>(0).Deploy(version.VersionId);
        logger.LogInformation("Training job {JobId} promoted {ModelVersion} (score {Score:P2} vs {ServedScore})",
            progress.Status.JobId, version.VersionId, result.BestScore, servedScore);
        if (request.ReEnrich)
        {
            progress.Phase("re-enriching");
            await ReEnrichAsync(productIds, ct);
        }
        progress.Update(s => s with
        {
            State = TrainingState.Promoted,
            Message = $"serving {version.VersionId} on {report.Count(r => r.ServedVersion == version.VersionId)} silo(s)",
        });
    }

    private async Task<double> ScoreServedAsync(ModelVersionInfo served, IReadOnlyList<CatalogRow> validRows, string imagesDir, Device device, CancellationToken ct)
    {
        var dir = await new ModelWeightsStore(grains).DownloadAsync(served, hostOptions.CacheDirectory, ct);
        var loaded = Checkpoint.Load(dir, device);
        using var net = loaded.Network;
        // The served model is scored in its own label space on the very rows the candidate was validated on.
        var valid = LabeledSet.Build(validRows, imagesDir, loaded.Network.Options.Preprocessing, loaded.Vocabularies,
            loaded.Network.Options.MaxCaptionTokens, cancellationToken: ct);
        return Evaluator.Evaluate(net, loaded.Vocabularies, valid, device, cancellationToken: ct).Score;
    }

    /// <summary>Throttled so that re-enrichment shares the model silos with live traffic instead of flooding them.</summary>
    private async Task ReEnrichAsync(IReadOnlyList<string> productIds, CancellationToken ct)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct };
        await Parallel.ForEachAsync(productIds, options, async (id, _) => await grains.GetGrain<IProductGrain>(id).Enrich(force: true));
    }

    /// <summary>Reports on the trainer's thread; Progress&lt;T&gt; would post to a synchronisation context.</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
