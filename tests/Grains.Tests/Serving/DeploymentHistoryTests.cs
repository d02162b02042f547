using Enrichment.Abstractions;
using Enrichment.Grains.Serving;
using Enrichment.TestSupport;

namespace Enrichment.Grains.Tests.Serving;

/// <summary>Issue 13, item 2: deployments are a history (who, when, from, to, why), and unusual ones need a reason.</summary>
[Collection(CatalogClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class DeploymentHistoryTests(CatalogClusterFixture fixture) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("enrichment-deployments-").FullName;

    [Fact]
    public async Task Rolling_back_or_deploying_a_rejected_version_needs_a_reason_and_every_change_is_recorded()
    {
        var grains = fixture.Grains;
        var registry = grains.GetGrain<IModelRegistryGrain>(0);
        var deployments = grains.GetGrain<IModelDeploymentGrain>(0);
        var store = new ModelWeightsStore(grains);
        var older = await store.UploadAsync(TinyModel.SaveCheckpoint(Path.Combine(_work, "older"), seed: 11), "test");
        var newer = await store.UploadAsync(TinyModel.SaveCheckpoint(Path.Combine(_work, "newer"), seed: 12), "test");
        var rejected = await store.UploadAsync(TinyModel.SaveCheckpoint(Path.Combine(_work, "rejected"), seed: 13), "test");
        foreach (var version in new[] { older, newer, rejected })
        {
            await registry.Register(version);
        }
        await registry.RecordVerdict(rejected.VersionId,
            new VersionVerdict(TrainingState.Rejected, "candidate scored 40.00 % < served 60.00 %", 0.4, 0.6, newer.VersionId, DateTimeOffset.UtcNow));

        Assert.True((await deployments.Deploy(new DeploymentRequest(older.VersionId, "alice"))).Deployed);
        Assert.True((await deployments.Deploy(new DeploymentRequest(newer.VersionId, "alice", "better colours"))).Deployed);

        var rollback = await deployments.Deploy(new DeploymentRequest(older.VersionId, "bob"));
        Assert.False(rollback.Deployed);
        Assert.Contains("older than the served", rollback.Refused);
        var unjudged = await deployments.Deploy(new DeploymentRequest(rejected.VersionId, "bob", " "));
        Assert.False(unjudged.Deployed);
        Assert.Contains("was rejected", unjudged.Refused);
        Assert.Equal(newer.VersionId, (await registry.GetCurrent())!.VersionId);

        Assert.True((await deployments.Deploy(new DeploymentRequest(rejected.VersionId, "bob", "the served one mislabels shoes"))).Deployed);
        Assert.True((await deployments.Deploy(new DeploymentRequest(older.VersionId, "carol", "roll back"))).Deployed);

        var history = (await deployments.History()).Take(4).ToList();
        Assert.Equal(
            [("carol", rejected.VersionId, older.VersionId, "roll back"),
             ("bob", newer.VersionId, rejected.VersionId, "the served one mislabels shoes"),
             ("alice", older.VersionId, newer.VersionId, "better colours")],
            history.Take(3).Select(d => (d.By, d.FromVersion!, d.ToVersion, d.Reason!)).ToList());
        Assert.Equal(("alice", older.VersionId), (history[3].By, history[3].ToVersion));
        Assert.True(history.Zip(history.Skip(1)).All(p => p.First.At >= p.Second.At), "history is newest first");
    }

    [Fact]
    public void Who_and_why_are_bounded_plain_text()
    {
        var version = new ModelVersionInfo { VersionId = "v", WeightsSha256 = "x", WeightsLength = 1, ChunkCount = 1, ManifestJson = "{}" };

        Assert.Null(DeploymentRules.Refusal(new DeploymentRequest("v", "ops"), version, null));
        Assert.NotNull(DeploymentRules.Refusal(new DeploymentRequest("v", ""), version, null));
        Assert.NotNull(DeploymentRules.Refusal(new DeploymentRequest("v", new string('a', DeploymentRules.MaxByLength + 1)), version, null));
        Assert.NotNull(DeploymentRules.Refusal(new DeploymentRequest("v", "ops", new string('r', DeploymentRules.MaxReasonLength + 1)), version, null));
        Assert.NotNull(DeploymentRules.Refusal(new DeploymentRequest("v", "ops", "evil\u001b[31m"), version, null));
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
