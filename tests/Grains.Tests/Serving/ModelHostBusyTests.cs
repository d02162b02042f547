using Enrichment.Abstractions;
using Enrichment.Grains.Diagnostics;
using Enrichment.Grains.Serving;
using Enrichment.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Enrichment.Grains.Tests.Serving;

/// <summary>
/// A model host with a tiny queue under a flood of predictions: overload is answered, never queued without
/// bound and never left hanging. The host serves a real checkpoint from the cluster's chunk storage.
/// </summary>
[Collection(CatalogClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class ModelHostBusyTests(CatalogClusterFixture fixture) : IDisposable
{
    private const int QueueCapacity = 2;
    private const int Flood = 500;
    private readonly string _work = Directory.CreateTempSubdirectory("enrichment-host-busy-").FullName;
    private readonly TestMeterFactory _meters = new();

    public void Dispose()
    {
        _meters.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task A_full_queue_answers_busy_with_the_reason_and_every_call_completes()
    {
        var version = await new ModelWeightsStore(fixture.Grains).UploadAsync(TinyModel.SaveCheckpoint(Path.Combine(_work, "checkpoint"), seed: 7), "test");
        var options = Options.Create(new ModelHostOptions
        {
            Device = "cpu",
            CacheDirectory = Path.Combine(_work, "cache"),
            // One image per forward pass: every accepted request costs a decode and a forward pass, while turning
            // one away costs a failed channel write, so the flood below outruns the worker on any machine.
            Batching = new BatchingOptions { MaxBatchSize = 1, MaxDelay = TimeSpan.Zero, QueueCapacity = QueueCapacity },
        });
        await using var host = new ModelHost(options, new TorchCheckpointLoader(options), new EnrichmentMetrics(_meters), NullLogger<ModelHost>.Instance);
        await host.SwapToAsync(version, await new ModelWeightsStore(fixture.Grains).DownloadAsync(version, Path.Combine(_work, "cache")));
        var photos = await Task.WhenAll(SampleImages.Paths(20).Select(p => File.ReadAllBytesAsync(p)));

        // Issued back to back without awaiting: each call queues (or is refused) before it returns its task.
        var calls = Enumerable.Range(0, Flood).Select(i => host.PredictAsync(new ModelRequest(photos[i % photos.Length]))).ToList();
        // Generous: a handful of forward passes of a tiny net. A host that holds refused requests never completes them.
        var all = Task.WhenAll(calls);
        var bound = TimeSpan.FromMinutes(2);
        if (await Task.WhenAny(all, Task.Delay(bound)) != all)
        {
            Assert.Fail($"{calls.Count(c => !c.IsCompleted)} of {Flood} predictions still waiting after {bound}; a full queue must answer Busy");
        }
        var results = await all;

        var busy = results.Where(r => r.Status == ModelResultStatus.Busy).ToList();
        var served = results.Where(r => r.Status == ModelResultStatus.Ok).ToList();
        Assert.NotEmpty(busy);
        Assert.All(busy, r => Assert.Equal($"model queue is full ({QueueCapacity} waiting)", r.Error));
        Assert.Equal(Flood, busy.Count + served.Count);
        // The queue's own slots were never refused: the first requests always fit.
        Assert.InRange(served.Count, QueueCapacity, Flood - 1);
        Assert.All(served, r => Assert.Equal(version.VersionId, r.ModelVersion));
        Assert.Equal(served.Count, host.Statistics!.Items);

        // Busy is a moment, not a state: once the flood has drained the host serves again.
        var after = await host.PredictAsync(new ModelRequest(photos[0])).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(ModelResultStatus.Ok, after.Status);
    }
}
