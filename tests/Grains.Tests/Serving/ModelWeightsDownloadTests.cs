using System.Security.Cryptography;
using Enrichment.Abstractions;
using Enrichment.Grains.Serving;
using Enrichment.Models;
using Enrichment.TestSupport;

namespace Enrichment.Grains.Tests.Serving;

/// <summary>Downloading a version's weights from cluster storage into a silo's model cache.</summary>
[Collection(CatalogClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class ModelWeightsDownloadTests(CatalogClusterFixture fixture) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("enrichment-weights-").FullName;

    private string CacheRoot => Path.Combine(_work, "cache");

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Chunks_that_match_the_hash_become_a_checkpoint_in_the_cache()
    {
        var store = new ModelWeightsStore(fixture.Grains);
        var version = await store.UploadAsync(TinyModel.SaveCheckpoint(Path.Combine(_work, "checkpoint"), seed: 11), "test");

        var dir = await store.DownloadAsync(version, CacheRoot);

        var manifest = Checkpoint.ReadManifest(dir);
        Assert.Equal(version.WeightsSha256, Checkpoint.Sha256(Path.Combine(dir, manifest.WeightsFile)));
        Assert.Equal([dir], Directory.GetFileSystemEntries(CacheRoot));
    }

    [Fact]
    public async Task Chunks_that_do_not_match_the_hash_are_refused_and_leave_nothing_in_the_cache()
    {
        // The stored bytes differ by one flipped bit from the weights the version's hash promises: corruption in
        // storage or in transit. Chunks are written once per hash; no other test stores this checkpoint's.
        var checkpoint = TinyModel.SaveCheckpoint(Path.Combine(_work, "checkpoint"), seed: 13);
        var manifestJson = await File.ReadAllTextAsync(Path.Combine(checkpoint, Checkpoint.ManifestFile));
        var weights = await File.ReadAllBytesAsync(Path.Combine(checkpoint, Checkpoint.ReadManifest(checkpoint).WeightsFile));
        var promised = Convert.ToHexStringLower(SHA256.HashData(weights));
        weights[weights.Length / 2] ^= 0x01;
        var chunks = ModelChunks.CountFor(weights.Length);
        for (var i = 0; i < chunks; i++)
        {
            var chunk = weights.AsSpan(i * ModelChunks.ChunkSize, Math.Min(ModelChunks.ChunkSize, weights.Length - i * ModelChunks.ChunkSize)).ToArray();
            await fixture.Grains.GetGrain<IModelChunkGrain>(ModelChunks.Key(promised, i)).Put(chunk);
        }
        var version = new ModelVersionInfo
        {
            VersionId = EnrichmentModel.VersionIdOf(promised),
            WeightsSha256 = promised,
            WeightsLength = weights.Length,
            ChunkCount = chunks,
            ManifestJson = manifestJson,
            RegisteredAt = DateTimeOffset.UtcNow,
            Source = "test",
        };

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => new ModelWeightsStore(fixture.Grains).DownloadAsync(version, CacheRoot));

        Assert.Contains(version.VersionId, error.Message);
        Assert.Contains("hash", error.Message);
        Assert.Empty(Directory.Exists(CacheRoot) ? Directory.GetFileSystemEntries(CacheRoot, "*", SearchOption.AllDirectories) : []);
    }
}
