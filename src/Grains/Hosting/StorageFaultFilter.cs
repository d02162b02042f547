using System.Data.Common;
using Enrichment.Abstractions;

namespace Enrichment.Grains.Hosting;

/// <summary>
/// Turns a storage failure escaping any grain call into <see cref="StorageUnavailableException"/>: database driver
/// exceptions cannot cross the cluster (the caller would get a codec error instead of something it can retry), and
/// the grain is deactivated so its next call re-reads state from storage instead of trusting what memory holds.
/// </summary>
public sealed class StorageFaultFilter : IIncomingGrainCallFilter
{
    private const int MaxMessageLength = 300;

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception ex) when (Find(ex) is { } fault)
        {
            if (context.Grain is Grain)
            {
                context.TargetContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, "storage failed; state is re-read on the next call"));
            }
            var message = TextRules.Truncate(fault.Message, MaxMessageLength);
            throw new StorageUnavailableException($"storage unavailable ({fault.GetType().Name}: {message}); nothing was acknowledged, retry");
        }
    }

    /// <summary>The database exception somewhere in <paramref name="error"/>'s chain, if any.</summary>
    public static DbException? Find(Exception? error)
    {
        for (var depth = 0; error is not null && depth < 8; depth++)
        {
            switch (error)
            {
                case DbException db:
                    return db;
                case AggregateException { InnerExceptions.Count: > 0 } aggregate:
                    error = aggregate.InnerExceptions[0];
                    break;
                default:
                    error = error.InnerException;
                    break;
            }
        }
        return null;
    }
}
