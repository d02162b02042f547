using Enrichment.Abstractions;
using Enrichment.Persistence.Rejections;
using Microsoft.Extensions.Options;

namespace Enrichment.Grains.Ingest;

/// <summary>The embedded default's rejection log, shared by every silo of a cluster through one activation.</summary>
[Alias("Enrichment.IRejectedEventLogGrain")]
public interface IRejectedEventLogGrain : IGrainWithIntegerKey
{
    [Alias("Append")] Task Append(RejectedEvent rejected);
    [Alias("List")] Task<RejectedPage> List(long? beforeSequence, int take);
    [Alias("ListMatching")] Task<RejectedPage> ListMatching(RejectedFilter filter, long? beforeSequence, int take);
}

/// <summary>Holds <see cref="InMemoryRejectedEventLog"/>; always active, like the embedded default's queue and read model.</summary>
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class RejectedEventLogGrain(IOptions<RejectedEventsOptions> options) : Grain, IRejectedEventLogGrain
{
    private readonly InMemoryRejectedEventLog _log = new(options.Value.MaxKept);

    public Task Append(RejectedEvent rejected) => _log.AppendAsync(rejected);

    public Task<RejectedPage> List(long? beforeSequence, int take) => _log.ListAsync(beforeSequence, take);

    public Task<RejectedPage> ListMatching(RejectedFilter filter, long? beforeSequence, int take) => _log.ListAsync(beforeSequence, take, filter);
}

/// <summary><see cref="IRejectedEventLog"/> over <see cref="IRejectedEventLogGrain"/>, for silos on memory storage.</summary>
public sealed class GrainRejectedEventLog(IGrainFactory grains) : IRejectedEventLog
{
    private IRejectedEventLogGrain Log => grains.GetGrain<IRejectedEventLogGrain>(0);

    public Task AppendAsync(RejectedEvent rejected, CancellationToken ct = default) => Log.Append(rejected);

    public Task<RejectedPage> ListAsync(long? beforeSequence, int take, RejectedFilter? filter = null, CancellationToken ct = default) =>
        filter is null || filter.IsEmpty ? Log.List(beforeSequence, take) : Log.ListMatching(filter, beforeSequence, take);
}
