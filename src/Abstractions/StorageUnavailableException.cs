namespace Enrichment.Abstractions;

/// <summary>
/// Storage refused or lost a read or write; nothing was acknowledged, so the caller may retry the same call.
/// Database driver exceptions are not serialisable across the cluster, so silos translate them into this one.
/// An <see cref="OrleansException"/>: Orleans' grain-state bridge wraps any other exception (with the driver's one
/// inside, which no codec can carry) but passes its own kind through, also for the read a grain makes on activation.
/// </summary>
[GenerateSerializer, Alias("Enrichment.StorageUnavailableException")]
public sealed class StorageUnavailableException : OrleansException
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message) : base(message)
    {
    }
}
