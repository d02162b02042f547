using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Enrichment.Grains.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Enrichment.TestSupport;

/// <summary>
/// Listens to one silo's "Enrichment.Orleans" meter from the moment it is created: sums counters and keeps the last
/// value of gauges. Listeners are process-wide while test clusters run side by side, so it filters by meter instance.
/// </summary>
public sealed class MeterProbe : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, double> _sums = new();
    private readonly ConcurrentDictionary<string, double> _last = new();

    public MeterProbe(InProcessSiloHandle silo)
    {
        var meter = ServingCluster.ServicesOf(silo).GetRequiredService<EnrichmentMetrics>().Meter;
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == meter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>Everything a counter recorded since the probe started; with a tag, only measurements carrying it.</summary>
    public double Sum(string instrument, string? tag = null) => _sums.GetValueOrDefault(tag is null ? instrument : $"{instrument}|{tag}");

    /// <summary>The gauge's current value, observed now; null when it reports nothing.</summary>
    public double? Gauge(string instrument)
    {
        _last.TryRemove(instrument, out _);
        _listener.RecordObservableInstruments();
        return _last.TryGetValue(instrument, out var value) ? value : null;
    }

    public async Task<double> GaugeAsync(string instrument, Func<double, bool> done, TimeSpan timeout)
    {
        var value = await Eventually.Get(() => Task.FromResult(Gauge(instrument)), v => v is { } read && done(read), timeout,
            $"gauge {instrument} to reach its value", TimeSpan.FromMilliseconds(100), v => v?.ToString() ?? "nothing");
        return value!.Value;
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        _sums.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
        foreach (var (key, tagValue) in tags)
        {
            _sums.AddOrUpdate($"{instrument.Name}|{key}={tagValue}", value, (_, sum) => sum + value);
        }
        _last[instrument.Name] = value;
    }

    public void Dispose() => _listener.Dispose();
}
