using System.Text.Json;
using Enrichment.Abstractions;
using Enrichment.Grains.Serving;
using Enrichment.Grains.Tests.Serving;
using Enrichment.Grains.Training;
using Enrichment.Evaluation;
using Enrichment.Models;
using Enrichment.TestSupport;

namespace Enrichment.Grains.Tests.Training;

/// <summary>
/// The quality report the cluster stores for a version is the one the model CLI computes (the same pipeline call) on
/// the same checkpoint and rows: the cluster's evaluation-set rows, recomputed here from the product ids.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class QualityReportTests() : ServingClusterTest(silos: 2, acceleratorSilos: "Silo_1")
{
    [Fact]
    public async Task The_stored_quality_report_matches_the_pipeline_on_the_same_checkpoint_and_rows()
    {
        var ids = await SampleCatalog.IngestAsync(Grains, "q");
        var version = await EventuallyAsync(async () => await Grains.GetGrain<IModelRegistryGrain>(0).GetCurrent(), "a served version");
        Assert.True(await Grains.GetGrain<ITrainingGrain>(0).Evaluate(version.VersionId));
        var json = await EventuallyAsync(() => Grains.GetGrain<IModelQualityGrain>(version.VersionId).Get(), "the version's quality report");
        var stored = JsonSerializer.Deserialize<QualityReport>(json, VersionQuality.Json)!;

        var sample = CatalogReader.Read(RepoPaths.SampleCatalog, RepoPaths.SampleImages).Rows.ToDictionary(r => $"q-{r.Id}");
        var rows = ids.Where(id => EvaluationSet.Contains(id, new EvaluationOptions())).Order(StringComparer.Ordinal).Select(id => sample[id]).ToList();
        var (_, local, _) = TrainingPipeline.Report(Path.Combine(WorkDir, "v1"), "cpu", RepoPaths.SampleImages, _ => rows, AutoApplyTarget.Default);

        Assert.Equal(version.VersionId, stored.ModelVersion);
        Assert.Equal(rows.Count, stored.Rows);
        Assert.Equal(local.Modes.Select(m => m.Input), stored.Modes.Select(m => m.Input));
        foreach (var (mine, theirs) in local.Modes.SelectMany(m => m.Attributes).Zip(stored.Modes.SelectMany(m => m.Attributes)))
        {
            Assert.Equal(mine.Attribute, theirs.Attribute);
            Assert.Equal(mine.Top1, theirs.Top1, precision: 9);
            Assert.Equal(mine.Top5, theirs.Top5, precision: 9);
            Assert.Equal(mine.Ece, theirs.Ece, precision: 5);
            Assert.Equal(mine.Confusion, theirs.Confusion);
            Assert.Equal(mine.Classes.Select(c => (c.Label, c.Support, c.F1)), theirs.Classes.Select(c => (c.Label, c.Support, c.F1)));
            Assert.Equal(mine.AutoApply.Threshold.HasValue, theirs.AutoApply.Threshold.HasValue);
            Assert.Equal(mine.AutoApply.Coverage, theirs.AutoApply.Coverage, precision: 9);
            Assert.Equal(mine.Reliability.Select(b => b.Count), theirs.Reliability.Select(b => b.Count));
        }
        // The registry names the score it recorded and what it is made of.
        var evaluation = (await Grains.GetGrain<IModelRegistryGrain>(0).List()).Single(v => v.VersionId == version.VersionId).Evaluation!;
        Assert.Equal(stored.Modes[^1].Score, evaluation.Score, precision: 9);
        Assert.Contains("mean of type and colour top-1", evaluation.ScoreDescription);
    }

    private static Task<T> EventuallyAsync<T>(Func<Task<T?>> read, string what) where T : class =>
        Eventually.Get(read, value => value is not null, TimeSpan.FromMinutes(3), what)!;
}
