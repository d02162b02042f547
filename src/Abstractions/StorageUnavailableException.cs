namespace Enrichment.Abstractions;

/// <summary>
/// Storage refused or lost a read or write; nothing was acknowledged, so the caller may retry the same call.
/// Database driver exceptions are not serialisable across the cluster, so silos translate them into this one.
/// </summary>
[GenerateSerializer, Alias("Enrichment.StorageUnavailableException")]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message) : base(message)
    {
    }
}
