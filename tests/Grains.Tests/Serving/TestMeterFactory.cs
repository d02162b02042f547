using System.Diagnostics.Metrics;

namespace Enrichment.Grains.Tests.Serving;

/// <summary>Meters for a service built by hand in a test, kept apart from the silos' own meters.</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = new();

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        lock (_meters) _meters.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        lock (_meters) _meters.ForEach(m => m.Dispose());
    }
}
