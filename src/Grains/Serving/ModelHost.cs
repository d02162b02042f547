using System.Diagnostics;
using Enrichment.Abstractions;
using Enrichment.Grains.Diagnostics;
using Enrichment.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Enrichment.Grains.Serving;

/// <summary>
/// The silo's local inference engine: the served model and its batcher, and nothing about the cluster (which
/// version to serve is <see cref="ModelSwapService"/>'s decision). The enrichment pump and every model grain on this
/// silo feed the same batcher, so their requests share forward passes. Swapping loads the new version beside the old
/// and switches the reference atomically; batches already running finish on the old one.
/// </summary>
public sealed class ModelHost : IAsyncDisposable
{
    private readonly ModelHostOptions _options;
    private readonly ILogger<ModelHost> _logger;
    private readonly SemaphoreSlim _loadGate = new(1, 1);
    // Guards the switch of _current against a batch taking its lease, so a batch never leases a retired model.
    private readonly object _servedGate = new();
    private readonly Lazy<DynamicBatcher<ModelRequest, ModelOutput>> _batcher;
    private readonly TaskCompletionSource _firstModel = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly BatchStatistics _statistics;
    private LoadedModel? _current;

    private readonly EnrichmentMetrics _metrics;
    private readonly ICheckpointLoader _loader;

    public ModelHost(IOptions<ModelHostOptions> options, ICheckpointLoader loader, EnrichmentMetrics metrics, ILogger<ModelHost> logger)
    {
        _options = options.Value;
        _loader = loader;
        _metrics = metrics;
        metrics.ObserveModelHost(() => QueueDepth, () => CurrentVersion);
        _logger = logger;
        _statistics = new BatchStatistics((size, elapsed) => metrics.Batch(size, elapsed, CurrentVersion));
        _batcher = new(() => new DynamicBatcher<ModelRequest, ModelOutput>(RunBatch, _options.Batching, _statistics));
    }

    public string? CurrentVersion => Volatile.Read(ref _current)?.Version.VersionId;

    /// <summary>What the batcher has done; null until the first request created it.</summary>
    public BatchStatistics? Statistics => _batcher.IsValueCreated ? _statistics : null;

    public int QueueDepth => _batcher.IsValueCreated ? _batcher.Value.QueueDepth : 0;

    /// <summary>Queues one encoded image (and the product's name) for the next batch.</summary>
    public async Task<ModelOutput> PredictAsync(ModelRequest request)
    {
        var started = Stopwatch.GetTimestamp();
        var output = await PredictCoreAsync(request);
        _metrics.Request(output.Status.ToString(), Stopwatch.GetElapsedTime(started));
        return output;
    }

    private async Task<ModelOutput> PredictCoreAsync(ModelRequest encodedImage)
    {
        if (Volatile.Read(ref _current) is null && !await WaitForFirstModelAsync())
        {
            return ModelOutput.Failed(ModelResultStatus.NoModel, "waiting for a model version to be published");
        }
        if (!_batcher.Value.TryEnqueue(encodedImage, out var pending))
        {
            return ModelOutput.Failed(ModelResultStatus.Busy, $"model queue is full ({_options.Batching.QueueCapacity} waiting)");
        }
        return await pending;
    }

    /// <summary>Completes once this host serves a model (the silo's startup step or a deployment loads one).</summary>
    public Task WaitForModelAsync(CancellationToken ct) => _firstModel.Task.WaitAsync(ct);

    /// <summary>
    /// Loads <paramref name="version"/> from <paramref name="checkpointDir"/> (already downloaded and verified)
    /// beside the served model and switches to it; idempotent.
    /// </summary>
    public async Task SwapToAsync(ModelVersionInfo version, string checkpointDir, CancellationToken ct = default)
    {
        await _loadGate.WaitAsync(ct);
        try
        {
            if (CurrentVersion == version.VersionId)
            {
                return;
            }
            var model = await _loader.LoadAsync(checkpointDir, ct);
            var next = new LoadedModel(model, version);
            LoadedModel? previous;
            lock (_servedGate)
            {
                previous = _current;
                Volatile.Write(ref _current, next);
            }
            previous?.Retire();
            _firstModel.TrySetResult();
            _logger.LogInformation("Serving model {ModelVersion} on {Device} (was {PreviousVersion})",
                version.VersionId, model.DeviceName, previous?.Version.VersionId ?? "none");
        }
        finally
        {
            _loadGate.Release();
        }
    }

    /// <summary>
    /// Takes what the registry now says about the served version (its auto-apply thresholds, once its evaluation
    /// measured them) without reloading it; a different version is a swap, not this.
    /// </summary>
    public void Refresh(ModelVersionInfo version)
    {
        lock (_servedGate)
        {
            if (_current is { } served && served.Version.VersionId == version.VersionId)
            {
                served.Version = version;
            }
        }
    }

    /// <summary>A silo that has just started is still loading: a request waits briefly rather than failing at once.</summary>
    private async Task<bool> WaitForFirstModelAsync()
    {
        try
        {
            await _firstModel.Task.WaitAsync(_options.FirstModelWait);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private IReadOnlyList<ModelOutput> RunBatch(IReadOnlyList<ModelRequest> images)
    {
        LoadedModel? served;
        lock (_servedGate)
        {
            served = _current;
            served?.Acquire();
        }
        if (served is null)
        {
            // Only after disposal: requests wait for the first model before they are queued.
            return images.Select(_ => ModelOutput.Failed(ModelResultStatus.NoModel, "the model host is shutting down")).ToList();
        }
        try
        {
            var model = served.Model;
            var versionInfo = served.Version;
            var version = versionInfo.VersionId;
            var outputs = new ModelOutput?[images.Count];
            var decoded = new List<ModelInput>(images.Count);
            var positions = new List<int>(images.Count);
            for (var i = 0; i < images.Count; i++)
            {
                try
                {
                    decoded.Add(new ModelInput(ImageDecoder.Decode(images[i].Image, model.Preprocessing), images[i].Name));
                    positions.Add(i);
                }
                catch (ImageDecodeException ex)
                {
                    outputs[i] = ModelOutput.Failed(ModelResultStatus.BadImage, ex.Message, version);
                }
            }
            var predictions = model.Predict(decoded);
            for (var j = 0; j < predictions.Count; j++)
            {
                outputs[positions[j]] = ModelOutput.Predicted(predictions[j], versionInfo);
            }
            return outputs!;
        }
        finally
        {
            served.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_batcher.IsValueCreated)
        {
            await _batcher.Value.DisposeAsync();
        }
        LoadedModel? last;
        lock (_servedGate)
        {
            last = _current;
            _current = null;
        }
        last?.Retire();
        _loadGate.Dispose();
    }
}
