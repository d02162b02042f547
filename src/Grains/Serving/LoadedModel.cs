using Enrichment.Abstractions;
using Enrichment.Models;

namespace Enrichment.Grains.Serving;

/// <summary>
/// A model in service. Batches hold a lease while they run; a retired model is disposed only when its last
/// batch has finished, so a hot swap never pulls weights out from under an in-flight forward pass.
/// </summary>
public sealed class LoadedModel(EnrichmentModel model, ModelVersionInfo version)
{
    private readonly object _gate = new();
    private int _leases;
    private bool _retired;

    public EnrichmentModel Model => model;
    private ModelVersionInfo _version = version;

    /// <summary>The registry's record of the served version; refreshed in place when only its thresholds change.</summary>
    public ModelVersionInfo Version
    {
        get => Volatile.Read(ref _version);
        set => Volatile.Write(ref _version, value);
    }

    /// <summary>
    /// Takes a lease. The host takes it under the same lock under which it replaces its current model, so the model
    /// leased is never one already retired and disposed.
    /// </summary>
    public void Acquire()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_retired && _leases == 0, this);
            _leases++;
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            _leases--;
            if (!_retired || _leases > 0)
            {
                return;
            }
        }
        model.Dispose();
    }

    public void Retire()
    {
        lock (_gate)
        {
            _retired = true;
            if (_leases > 0)
            {
                return;
            }
        }
        model.Dispose();
    }
}
