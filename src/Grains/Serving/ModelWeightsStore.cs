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
            Inputs = manifest.Inputs,
            AutoApply = AutoApplySelection.From(manifest.AutoApply),
            Source = source,
        };
    }


    /// <summary>Materialises a version as a checkpoint directory under <paramref name="cacheRoot"/> (reused when already there).</summary>
    public async Task<string> DownloadAsync(ModelVersionInfo version, string cacheRoot, CancellationToken ct = default)
    {
        var dir = Path.Combine(cacheRoot, version.WeightsSha256);
        if (HoldsWeights(dir, version))
        {
            return dir;
        }

        // Everything is assembled in a folder of this download's own and published only once verified, so a
        // failed or corrupt download leaves nothing in the cache, and never touches a concurrent download's files.
        var staging = Directory.CreateDirectory(Path.Combine(cacheRoot, $"{version.WeightsSha256}.{Guid.NewGuid():N}.partial")).FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(staging, Checkpoint.ManifestFile), version.ManifestJson, ct);
            var weightsFile = Checkpoint.ReadManifest(staging).WeightsFile;
            await using (var output = File.Create(Path.Combine(staging, weightsFile)))
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
            Directory.CreateDirectory(dir);
            // Manifest first: a reader that finds the weights also finds the manifest. Both are the same bytes for
            // the same version, so a concurrent download overwriting them changes nothing.
            File.Move(Path.Combine(staging, Checkpoint.ManifestFile), Path.Combine(dir, Checkpoint.ManifestFile), overwrite: true);
            File.Move(Path.Combine(staging, weightsFile), Path.Combine(dir, weightsFile), overwrite: true);
            return dir;
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    private static bool HoldsWeights(string dir, ModelVersionInfo version)
    {
        if (!File.Exists(Path.Combine(dir, Checkpoint.ManifestFile)))
        {
            return false;
        }
        try
        {
            var weightsPath = Path.Combine(dir, Checkpoint.ReadManifest(dir).WeightsFile);
            return File.Exists(weightsPath) && Checkpoint.Sha256(weightsPath) == version.WeightsSha256;
        }
        catch (Exception ex) when (ex is InvalidDataException or System.Text.Json.JsonException)
        {
            return false; // A damaged manifest is replaced by the download.
        }
    }
}
