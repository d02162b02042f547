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
        catch (Exception ex) when (ex is StorageUnavailableException || Find(ex) is not null)
        {
            if (context.Grain is Grain)
            {
                context.TargetContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, "storage failed; state is re-read on the next call"));
            }
            if (ex is StorageUnavailableException)
            {
                throw; // grain state storage already said so (FaultTranslatingGrainStorage)
            }
            throw Unavailable(Find(ex)!);
        }
    }

    /// <summary>The retryable exception for <paramref name="fault"/>, with its driver's message cut short.</summary>
    public static StorageUnavailableException Unavailable(DbException fault, string? during = null) =>
        new($"storage unavailable{(during is null ? "" : $" ({during})")} ({fault.GetType().Name}: {TextRules.Truncate(fault.Message, MaxMessageLength)}); " +
            "nothing was acknowledged, retry");

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
