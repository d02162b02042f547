using System.Diagnostics.Metrics;

namespace Enrichment.Silo.Tests;

/// <summary>A minimal meter factory for services built by hand outside a host.</summary>
internal sealed class MeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = new();

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose() => _meters.ForEach(m => m.Dispose());
}
