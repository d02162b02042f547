using Enrichment.Abstractions;
using System.Diagnostics.Metrics;
using Enrichment.Grains.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.TestingHost;

using Enrichment.TestSupport;

namespace Enrichment.Grains.Tests.Serving;

/// <summary>Three real silos, one with an accelerator, a real checkpoint and real sample photos.</summary>
[Trait("Category", "Cluster")]
public sealed class ModelPlacementAndBatchingTests() : ServingClusterTest(silos: 3, acceleratorSilos: "Silo_2")
{
    [Fact]
    public async Task Concurrent_enrichment_runs_only_on_the_accelerator_silo_in_batches()
    {
        var accelerator = Cluster.Silos.Single(s => s.Name == "Silo_2");
        // Listeners are process-wide and other test clusters run alongside: listen to this silo's meter only.
        var meter = accelerator.ServiceProvider.GetRequiredService<EnrichmentMetrics>().Meter;
        var batchSizes = new System.Collections.Concurrent.ConcurrentBag<int>();
        // Model grain calls by silo: every silo's meter, so a call served anywhere else would be counted too.
        var meters = Cluster.Silos.ToDictionary(s => ServingCluster.ServicesOf(s).GetRequiredService<EnrichmentMetrics>().Meter, s => s.Name);
        var modelGrainCalls = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if ((instrument.Meter == meter && instrument.Name == "enrichment.model.batch_size")
                || (meters.ContainsKey(instrument.Meter) && instrument.Name == "enrichment.model.grain_calls"))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, size, _, _) => batchSizes.Add(size));
        listener.SetMeasurementEventCallback<long>((instrument, calls, _, _) => modelGrainCalls.AddOrUpdate(meters[instrument.Meter], calls, (_, n) => n + calls));
        listener.Start();
        var grains = Cluster.Client;
        var paths = SampleImages.Paths(300);
        var ids = paths.Select(p => "img-" + Path.GetFileNameWithoutExtension(p)).ToList();
        await Task.WhenAll(paths.Select(async (path, i) =>
            await grains.GetGrain<IProductGrain>(ids[i]).Apply(await SampleImages.StoreAsync(grains, ids[i], await File.ReadAllBytesAsync(path)))));

        var products = await WaitForAsync(grains, ids, p => p.EnrichmentStatus == EnrichmentStatus.Enriched, TimeSpan.FromMinutes(3));

        var version = Assert.Single(products.Select(p => p.Enrichment!.ModelVersion).Distinct());
        Assert.StartsWith("sha256:", version);
        Assert.All(products, p =>
        {
            Assert.Contains(p.Enrichment!.Attributes[AttributeNames.Colour].Value, TinyModel.Colours);
            Assert.InRange(p.Enrichment.Attributes[AttributeNames.Type].Confidence, 0f, 1f);
            Assert.NotNull(p.Enrichment.Caption);
        });

        var host = ServingCluster.HostOf(accelerator);
        Assert.Equal(version, host.CurrentVersion);
        Assert.True(host.Statistics!.LargestBatch > 1, $"largest batch was {host.Statistics.LargestBatch}");
        Assert.Equal(products.Count, host.Statistics.Items);
        Assert.Equal(products.Count, batchSizes.Sum());
        Assert.Contains(batchSizes, size => size > 1);
        // Production enrichment reaches the model only through the accelerator silo's model grain (at least once per
        // product: a "busy" answer is asked again), while the product grains live on every silo.
        var calls = Assert.Single(modelGrainCalls);
        Assert.Equal("Silo_2", calls.Key);
        Assert.InRange(calls.Value, products.Count, long.MaxValue);

        // On-demand predictions go through model grains, which are placed on the accelerator silo only.
        var image = products[0].Image!;
        Assert.All(await Task.WhenAll(Enumerable.Range(0, 8).Select(slot => grains.GetGrain<IModelGrain>($"caller-{slot}").Predict(image))),
            r => Assert.Equal(ModelResultStatus.Ok, r.Status));
        var stats = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        var modelSilos = stats.Where(s => IsModelGrain(s.GrainType) && s.ActivationCount > 0).Select(s => s.SiloAddress).Distinct().ToList();
        Assert.Equal([accelerator.SiloAddress], modelSilos);
        foreach (var other in Cluster.Silos.Where(s => s != accelerator))
        {
            Assert.Null(ServingCluster.HostOf(other).Statistics);
        }
    }

    [Fact]
    public async Task A_photo_that_does_not_decode_is_stored_with_the_reason()
    {
        var grains = Cluster.Client;
        var id = TestEvents.UniqueId("corrupt");
        byte[] corrupt = [0xFF, 0xD8, 0xFF, 0xE0, .. Enumerable.Repeat((byte)0x42, 500)];
        await grains.GetGrain<IProductGrain>(id).Apply(await SampleImages.StoreAsync(grains, id, corrupt));

        var product = Assert.Single(await WaitForAsync(grains, [id], p => p.EnrichmentStatus != EnrichmentStatus.Pending, TimeSpan.FromMinutes(1)));

        Assert.Equal(EnrichmentStatus.ImageUnreadable, product.EnrichmentStatus);
        Assert.False(string.IsNullOrWhiteSpace(product.Enrichment!.Error));
        Assert.Empty(product.Enrichment.Attributes);
    }

    /// <summary>Exactly ModelGrain, not other grain types whose names merely end in "ModelGrain".</summary>
    private static bool IsModelGrain(string grainType) =>
        System.Text.RegularExpressions.Regex.IsMatch(grainType, @"(^|[.+])ModelGrain($|[,`\[])");

    internal static async Task<List<ProductView>> WaitForAsync(IGrainFactory grains, IReadOnlyList<string> ids, Func<ProductView, bool> done, TimeSpan timeout)
    {
        return await Eventually.Get(
            async () => (await Task.WhenAll(ids.Select(id => grains.GetGrain<IProductGrain>(id).Get()))).Select(v => v!).ToList(),
            views => views.All(done), timeout, $"{ids.Count} products to be done", TimeSpan.FromMilliseconds(200),
            views => views.Where(v => !done(v)).ToList() is var waiting && waiting.Count > 0
                ? $"{waiting.Count} not done, e.g. {waiting[0].ProductId}: {waiting[0].EnrichmentStatus} {waiting[0].EnrichmentNote}"
                : "all done");
    }
}
