using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Enrichment.Abstractions;
using Enrichment.Abstractions.Diagnostics;

namespace Enrichment.Client.Api;

/// <summary>
/// One reader of the training status for every open console: while anyone listens, the status is read once a second
/// and pushed to each listener, so the cluster's load does not grow with the number of viewers. A slow listener
/// skips to the newest status rather than queueing old ones.
/// </summary>
public sealed class TrainingStatusFeed(IGrainFactory grains, ILogger<TrainingStatusFeed> logger)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly object _gate = new();
    private readonly List<Channel<TrainingJobStatus?>> _listeners = new();
    private readonly RepeatedFailureLog _failures = new(logger, TimeSpan.FromMinutes(1));
    private bool _polling;

    /// <summary>The status now and after each change of the shared reading, until <paramref name="ct"/> ends.</summary>
    public async IAsyncEnumerable<TrainingJobStatus?> Listen(TrainingJobStatus? first, [EnumeratorCancellation] CancellationToken ct)
    {
        var channel = Channel.CreateBounded<TrainingJobStatus?>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        channel.Writer.TryWrite(first);
        lock (_gate)
        {
            _listeners.Add(channel);
            if (!_polling)
            {
                _polling = true;
                _ = Task.Run(PollAsync, CancellationToken.None);
            }
        }
        try
        {
            await foreach (var status in channel.Reader.ReadAllAsync(ct))
            {
                yield return status;
            }
        }
        finally
        {
            lock (_gate)
            {
                _listeners.Remove(channel);
            }
        }
    }

    private async Task PollAsync()
    {
        while (true)
        {
            await Task.Delay(Interval);
            Channel<TrainingJobStatus?>[] listeners;
            lock (_gate)
            {
                if (_listeners.Count == 0)
                {
                    _polling = false;
                    return;
                }
                listeners = _listeners.ToArray();
            }
            try
            {
                var status = await grains.GetGrain<ITrainingGrain>(0).GetStatus();
                foreach (var listener in listeners)
                {
                    listener.Writer.TryWrite(status);
                }
            }
            catch (Exception ex)
            {
                // The cluster is briefly unreachable (a silo restarting): listeners keep the last status they saw.
                _failures.Report("Reading the training status", ex);
            }
        }
    }
}
