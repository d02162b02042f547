using System.Security.Cryptography;
using Enrichment.Abstractions;
using Enrichment.Models;

namespace Enrichment.Grains.Serving;

/// <summary>
/// Moves checkpoints between a silo's disk and the cluster's storage in chunks, so weights never travel in
/// one big message and every silo, including one that joins late, can fetch any registered version.
/// </summary>
public sealed class ModelWeightsStore(IGrainFactory grains)
{
    public async Task<ModelVersionInfo> UploadAsync(string checkpointDir, string source, CancellationToken ct = default)
    {
        var manifestJson = await File.ReadAllTextAsync(Path.Combine(checkpointDir, Checkpoint.ManifestFile), ct);
        var manifest = Checkpoint.ReadManifest(checkpointDir);
        var weightsPath = Path.Combine(checkpointDir, manifest.WeightsFile);
        var length = new FileInfo(weightsPath).Length;
        var sha = Checkpoint.Sha256(weightsPath);
        if (sha != manifest.WeightsSha256)
        {
            throw new InvalidDataException($"{weightsPath} hashes to {sha}, but its manifest says {manifest.WeightsSha256}");
        }

        var chunks = ModelChunks.CountFor(length);
        await using (var stream = File.OpenRead(weightsPath))
        {
            var buffer = new byte[ModelChunks.ChunkSize];
            for (var i = 0; i < chunks; i++)
            {
                var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
                await grains.GetGrain<IModelChunkGrain>(ModelChunks.Key(sha, i)).Put(buffer[..read]);
            }
        }
        return new ModelVersionInfo
        {
            VersionId = EnrichmentModel.VersionIdOf(sha),
            WeightsSha256 = sha,
            WeightsLength = length,
            ChunkCount = chunks,
            ManifestJson = manifestJson,
            RegisteredAt = DateTimeOffset.UtcNow,
            Metrics = manifest.Metrics,
            Source = source,
        };
    }


    /// <summary>Materialises a version as a checkpoint directory under <paramref name="cacheRoot"/> (reused when already there).</summary>
    public async Task<string> DownloadAsync(ModelVersionInfo version, string cacheRoot, CancellationToken ct = default)
    {
        var dir = Path.Combine(cacheRoot, version.WeightsSha256);
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, Checkpoint.ManifestFile), version.ManifestJson, ct);
        var weightsPath = Path.Combine(dir, Checkpoint.ReadManifest(dir).WeightsFile);
        if (File.Exists(weightsPath) && Checkpoint.Sha256(weightsPath) == version.WeightsSha256)
        {
            return dir;
        }

        var partial = weightsPath + $".{Guid.NewGuid():N}.partial";
        await using (var output = File.Create(partial))
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            for (var i = 0; i < version.ChunkCount; i++)
            {
                var chunk = await grains.GetGrain<IModelChunkGrain>(ModelChunks.Key(version.WeightsSha256, i)).Get()
                    ?? throw new InvalidDataException($"chunk {i} of version {version.VersionId} is missing from storage");
                hash.AppendData(chunk);
                await output.WriteAsync(chunk, ct);
            }
            var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (actual != version.WeightsSha256)
            {
                throw new InvalidDataException($"downloaded weights of {version.VersionId} hash to {actual}");
            }
        }
        File.Move(partial, weightsPath, overwrite: true);
        return dir;
    }
}
