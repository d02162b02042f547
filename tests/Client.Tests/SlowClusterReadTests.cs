using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Enrichment.Client.Api;
using Microsoft.Extensions.DependencyInjection;

namespace Enrichment.Client.Tests;

/// <summary>
/// A read the cluster does not answer within the bound (a silo that just died leaves a call waiting for Orleans'
/// 30 s response timeout) is answered 503 with Retry-After, in time. The bounds run on a clock whose timers expire the
/// moment they are set, so every cluster call (never complete when the bound starts: it is a network call) is "too
/// slow" on any machine; a bound of one tick was not: a warm call could answer before the timer fired.
/// </summary>
[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class SlowClusterReadTests(ClientApiFixture fixture)
{
    [Fact]
    public async Task A_read_the_cluster_does_not_answer_in_time_is_a_503_with_retry_after_not_a_wait_and_a_500()
    {
        var id = $"slow-{Guid.NewGuid():N}";
        var posted = await fixture.Http.PostAsJsonAsync("/api/events", new[] { new { eventId = id, productId = id, version = 1, name = "Slow read probe" } });
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Http.GetAsync($"/api/products/{id}")).StatusCode);

        var (app, http) = await fixture.StartAppAsync(new Dictionary<string, string?>(),
            configure: builder => builder.Services.AddKeyedSingleton<TimeProvider>(BoundedClusterCallFilter.ClockKey, new ExpiredClock()));
        await using (app)
        using (http)
        {
            foreach (var path in new[] { $"/api/products/{id}", "/api/products?colour=Black", "/api/rejected?take=5", "/api/models", "/api/enrichment/queue" })
            {
                using var response = await http.GetAsync(path);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.NotNull(response.Headers.RetryAfter?.Delta);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                Assert.Contains("did not answer in time", problem.RootElement.GetProperty("detail").GetString());
            }
        }
    }

    /// <summary>
    /// Issue 22, item 8: the training status read and the admin actions waited out Orleans' 30 s response timeout when
    /// the silo they were routed to had just died (30.8 s for the training status); they are bounded like the other reads.
    /// </summary>
    [Fact]
    public async Task The_training_status_and_admin_actions_are_bounded_like_the_other_reads()
    {
        var id = $"slow-action-{Guid.NewGuid():N}";
        var posted = await fixture.Http.PostAsJsonAsync("/api/events", new[] { new { eventId = id, productId = id, version = 1, name = "Slow action probe" } });
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

        var (app, http) = await fixture.StartAppAsync(new Dictionary<string, string?>(),
            configure: builder => builder.Services.AddKeyedSingleton<TimeProvider>(BoundedClusterCallFilter.ClockKey, new ExpiredClock()));
        await using (app)
        using (http)
        {
            http.DefaultRequestHeaders.Add("X-Admin-Token", ClientApiFixture.AdminToken);
            var calls = new (string Name, Func<Task<HttpResponseMessage>> Send)[]
            {
                ("training status", () => http.GetAsync("/api/training")),
                ("cancel training", () => http.PostAsync("/api/admin/training/cancel", null)),
                ("re-enrich", () => http.PostAsync($"/api/admin/products/{id}/enrich", null)),
                ("review", () => http.PostAsJsonAsync($"/api/admin/products/{id}/review", new { attribute = "colour", value = "Red", by = "tester" })),
            };
            foreach (var (name, send) in calls)
            {
                using var response = await send();
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{name}: {(int)response.StatusCode}");
                Assert.NotNull(response.Headers.RetryAfter?.Delta);
                using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                Assert.Contains("did not answer in time", problem.RootElement.GetProperty("detail").GetString());
            }
        }
    }

    /// <summary>A clock on which every timer has already expired: its callback runs as it is created.</summary>
    private sealed class ExpiredClock : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            callback(state);
            return new Spent();
        }

        private sealed class Spent : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => false;
            public void Dispose() { }
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
