using System.Diagnostics.Metrics;

namespace Enrichment.Grains.Diagnostics;

/// <summary>
/// The silo-side instruments (meter "Enrichment.Orleans"): model requests, batch sizes, latencies, queue depth and
/// the served version. Exported by the silo host (Prometheus) and observable in tests with a MeterListener.
/// </summary>
public sealed class EnrichmentMetrics
{
    public const string MeterName = "Enrichment.Orleans";

    /// <summary>
    /// Buckets for latencies from a millisecond to half a minute. Without them exporters use their defaults (0, 5, 10,
    /// 25, ... meant for milliseconds), and every observation in seconds landed in the first bucket.
    /// </summary>
    public static readonly IReadOnlyList<double> SecondsBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Counter<long> _predictions;
    private readonly Counter<long> _modelGrainCalls;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _batchSeconds;
    private readonly Histogram<double> _requestSeconds;
    private readonly Counter<long> _productEvents;
    private readonly Counter<long> _enrichments;
    private readonly Counter<long> _trainingJobs;
    private readonly Counter<long> _deployments;
    private readonly Counter<long> _reviews;

    public EnrichmentMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        _predictions = Meter.CreateCounter<long>("enrichment.model.requests", description: "Model requests by outcome");
        _modelGrainCalls = Meter.CreateCounter<long>("enrichment.model.grain_calls", unit: "{call}",
            description: "Predictions asked of this silo's model grains (by product grains, and on demand)");
        _batchSize = Meter.CreateHistogram<int>("enrichment.model.batch_size", unit: "{image}", description: "Images per forward pass",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });
        var seconds = new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets };
        _batchSeconds = Meter.CreateHistogram<double>("enrichment.model.batch_duration", unit: "s", description: "Decode + forward time of one batch", advice: seconds);
        _requestSeconds = Meter.CreateHistogram<double>("enrichment.model.request_duration", unit: "s", description: "Queueing + batch time seen by one request", advice: seconds);
        _productEvents = Meter.CreateCounter<long>("enrichment.product.events", description: "Product events by outcome");
        _enrichments = Meter.CreateCounter<long>("enrichment.product.enrichments", description: "Enrichment attempts by result");
        _deployments = Meter.CreateCounter<long>("enrichment.model.deployments", unit: "{deployment}",
            description: "Deployments by outcome (complete: every silo answered and serves it; partial: some silo failed or did not answer in time)");
        _reviews = Meter.CreateCounter<long>("enrichment.review.decisions", unit: "{decision}",
            description: "Review decisions stored by action (accepted: the model's value; corrected: a person's value; undone)");
        _trainingJobs = Meter.CreateCounter<long>("enrichment.training.jobs", unit: "{job}", description: "Finished training jobs by outcome (Promoted, Registered, Rejected, Failed, Cancelled)");
    }

    public Meter Meter { get; }

    public void Request(string status, TimeSpan elapsed)
    {
        _predictions.Add(1, new KeyValuePair<string, object?>("status", status));
        _requestSeconds.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("status", status));
    }

    public void ModelGrainCall() => _modelGrainCalls.Add(1);

    public void Batch(int size, TimeSpan elapsed, string? version)
    {
        var tag = new KeyValuePair<string, object?>("model_version", version);
        _batchSize.Record(size, tag);
        _batchSeconds.Record(elapsed.TotalSeconds, tag);
    }

    public void ProductEvent(string outcome) => _productEvents.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Enrichment(string result) => _enrichments.Add(1, new KeyValuePair<string, object?>("result", result));

    public void Deployment(string outcome) => _deployments.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void ReviewDecision(string action) => _reviews.Add(1, new KeyValuePair<string, object?>("action", action));

    public void TrainingJobFinished(string outcome) => _trainingJobs.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Epoch progress of the jobs running on this silo, read when exported.</summary>
    public void ObserveTraining(Func<IEnumerable<(string JobId, int Epoch, int Epochs)>> running)
    {
        Meter.CreateObservableGauge("enrichment.training.epoch", () => running().Select(j =>
                new Measurement<int>(j.Epoch, new KeyValuePair<string, object?>("job_id", j.JobId), new KeyValuePair<string, object?>("epochs", j.Epochs))),
            unit: "{epoch}", description: "Current epoch of each training job running on this silo");
    }

    /// <summary>Queue depth and served version are read when exported, from whoever owns them.</summary>
    public void ObserveModelHost(Func<int> queueDepth, Func<string?> servedVersion)
    {
        Meter.CreateObservableGauge("enrichment.model.queue_depth", queueDepth, unit: "{request}", description: "Requests waiting for a batch");
        Meter.CreateObservableGauge("enrichment.model.served", () => servedVersion() is { } v
            ? [new Measurement<int>(1, new KeyValuePair<string, object?>("model_version", v))]
            : Array.Empty<Measurement<int>>(), description: "1 for the model version this silo serves");
    }

    /// <summary>The enrichment queue's size, as last measured (nothing is exported before the first measurement).</summary>
    public void ObserveQueue(Func<Abstractions.EnrichmentQueueStats?> latest)
    {
        Meter.CreateObservableGauge("enrichment.queue.depth", () => latest() is { } s ? [new Measurement<long>(s.Depth)] : Array.Empty<Measurement<long>>(),
            unit: "{product}", description: "Products waiting for enrichment (due or being enriched)");
        Meter.CreateObservableGauge("enrichment.queue.parked", () => latest() is { } s ? [new Measurement<long>(s.Parked)] : Array.Empty<Measurement<long>>(),
            unit: "{product}", description: "Products whose enrichment retry budget is spent");
        Meter.CreateObservableGauge("enrichment.queue.oldest_age", () => latest() is { } s ? [new Measurement<double>(s.OldestAgeSeconds)] : Array.Empty<Measurement<double>>(),
            unit: "s", description: "Age of the oldest waiting item");
    }
}
