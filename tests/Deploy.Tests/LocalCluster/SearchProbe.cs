namespace Enrichment.Deploy.Tests.LocalCluster;

/// <summary>
/// A reader beside the ingest: searches one clothing type twice a second for as long as the scenario runs and
/// remembers when each search was sent and whether it was answered, so the test can count what was answered after the
/// product silo was killed (it is never restarted: every later answer came while it was dead).
/// </summary>
public sealed class SearchProbe : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly HttpClient _api;
    private readonly string _query;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(DateTime SentAt, bool Answered)> _searches = new();
    private readonly Task _loop;

    private SearchProbe(HttpClient api, string type)
    {
        (_api, _query) = (api, $"/api/products?type={Uri.EscapeDataString(type)}&limit=5");
        _loop = Task.Run(LoopAsync);
    }

    public static SearchProbe Start(HttpClient api, string type) => new(api, type);

    public (int Answered, int Failed) Since(DateTime since)
    {
        lock (_searches)
        {
            var later = _searches.Where(s => s.SentAt >= since).ToList();
            return (later.Count(s => s.Answered), later.Count(s => !s.Answered));
        }
    }

    /// <summary>
    /// Waits until a search sent at or after <paramref name="since"/> was answered, at most <paramref name="patience"/>:
    /// the count then does not depend on how long the rest of the scenario happened to take on this machine.
    /// </summary>
    public async Task WaitForAnswerSinceAsync(DateTime since, TimeSpan patience, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + patience;
        while (Since(since).Answered == 0 && DateTime.UtcNow < deadline && !_loop.IsCompleted)
        {
            await Task.Delay(200, ct);
        }
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var sentAt = DateTime.UtcNow;
            bool answered;
            try
            {
                using var response = await _api.GetAsync(_query, _stop.Token);
                answered = response.IsSuccessStatusCode;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                answered = false; // refused, reset or timed out (HttpClient.Timeout)
            }
            lock (_searches)
            {
                _searches.Add((sentAt, answered));
            }
            try
            {
                await Task.Delay(Interval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        _stop.Dispose();
    }
}
