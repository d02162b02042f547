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
    private readonly Lazy<DynamicBatcher<byte[], ModelOutput>> _batcher;
    private readonly Lazy<TorchSharp.torch.Device> _device;
    private readonly TaskCompletionSource _firstModel = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoadedModel? _current;

    private readonly EnrichmentMetrics _metrics;

    public ModelHost(IOptions<ModelHostOptions> options, EnrichmentMetrics metrics, ILogger<ModelHost> logger)
    {
        _options = options.Value;
        _metrics = metrics;
        metrics.ObserveModelHost(() => QueueDepth, () => CurrentVersion);
        _logger = logger;
        _device = new(() =>
        {
            TorchRuntime.Initialize(_options.IntraOpThreads);
            return TorchDevices.Select(_options.Device);
        });
        _batcher = new(() => new DynamicBatcher<byte[], ModelOutput>(RunBatch, _options.Batching));
    }

    public string? CurrentVersion => Volatile.Read(ref _current)?.Version.VersionId;

    public BatchStatistics? Statistics => _batcher.IsValueCreated ? _batcher.Value.Statistics : null;

    public int QueueDepth => _batcher.IsValueCreated ? _batcher.Value.QueueDepth : 0;

    /// <summary>Queues one encoded image for the next batch.</summary>
    public async Task<ModelResult> PredictAsync(byte[] encodedImage, string silo)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await PredictCoreAsync(encodedImage, silo);
        _metrics.Request(result.Status.ToString(), Stopwatch.GetElapsedTime(started));
        return result;
    }

    private async Task<ModelResult> PredictCoreAsync(byte[] encodedImage, string silo)
    {
        if (Volatile.Read(ref _current) is null && !await WaitForFirstModelAsync())
        {
            return ModelResult.Failed(ModelResultStatus.NoModel, "waiting for a model version to be published", silo);
        }
        if (!_batcher.Value.TryEnqueue(encodedImage, out var pending))
        {
            return ModelResult.Failed(ModelResultStatus.Busy, $"model queue is full ({_options.Batching.QueueCapacity} waiting)", silo);
        }
        var output = await pending;
        if (output.Prediction is not { } p)
        {
            return ModelResult.Failed(ModelResultStatus.BadImage, output.DecodeError ?? "image could not be decoded", silo) with { ModelVersion = output.ModelVersion };
        }
        return new ModelResult
        {
            Status = ModelResultStatus.Ok,
            ModelVersion = output.ModelVersion,
            Caption = p.Caption,
            Silo = silo,
            Attributes = new()
            {
                [AttributeNames.Colour] = new(p.Colour.Value, p.Colour.Confidence),
                [AttributeNames.Brand] = new(p.Brand.Value, p.Brand.Confidence),
                [AttributeNames.Type] = new(p.Type.Value, p.Type.Confidence),
            },
        };
    }

    /// <summary>Completes once this host serves a model (the silo's startup step or a deployment loads one).</summary>
    public Task WaitForModelAsync(CancellationToken ct) => _firstModel.Task.WaitAsync(ct);

    /// <summary>
    /// Loads <paramref name="version"/> from <paramref name="checkpointDir"/> (already downloaded and verified)
    /// beside the served model and switches to it; idempotent.
    /// </summary>
    public async Task<LoadedModel> SwapToAsync(ModelVersionInfo version, string checkpointDir, CancellationToken ct = default)
    {
        await _loadGate.WaitAsync(ct);
        try
        {
            if (Volatile.Read(ref _current) is { } same && same.Version.VersionId == version.VersionId)
            {
                return same;
            }
            var device = _device.Value;
            // Loading is seconds of CPU work: keep it off the caller's (possibly Orleans) scheduler.
            var model = await Task.Run(() => EnrichmentModel.Load(checkpointDir, device), ct);
            var next = new LoadedModel(model, version);
            var previous = Interlocked.Exchange(ref _current, next);
            previous?.Retire();
            _firstModel.TrySetResult();
            _logger.LogInformation("Serving model {ModelVersion} on {Device} (was {PreviousVersion})",
                version.VersionId, device, previous?.Version.VersionId ?? "none");
            return next;
        }
        finally
        {
            _loadGate.Release();
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

    private IReadOnlyList<ModelOutput> RunBatch(IReadOnlyList<byte[]> images)
    {
        var started = Stopwatch.GetTimestamp();
        var served = Volatile.Read(ref _current);
        while (served is null || !served.TryAcquire())
        {
            // Swapped between the read and the lease: the next read sees the new model.
            served = Volatile.Read(ref _current);
        }
        try
        {
            var model = served.Model;
            var outputs = new ModelOutput?[images.Count];
            var decoded = new List<DecodedImage>(images.Count);
            var positions = new List<int>(images.Count);
            for (var i = 0; i < images.Count; i++)
            {
                try
                {
                    decoded.Add(ImageDecoder.Decode(images[i], model.Preprocessing));
                    positions.Add(i);
                }
                catch (ImageDecodeException ex)
                {
                    outputs[i] = new ModelOutput(null, served.Version.VersionId, ex.Message);
                }
            }
            var predictions = model.Predict(decoded);
            for (var j = 0; j < predictions.Count; j++)
            {
                outputs[positions[j]] = new ModelOutput(predictions[j], served.Version.VersionId, null);
            }
            return outputs!;
        }
        finally
        {
            served.Release();
            _metrics.Batch(images.Count, Stopwatch.GetElapsedTime(started), served.Version.VersionId);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_batcher.IsValueCreated)
        {
            await _batcher.Value.DisposeAsync();
        }
        Interlocked.Exchange(ref _current, null)?.Retire();
        _loadGate.Dispose();
    }
}
