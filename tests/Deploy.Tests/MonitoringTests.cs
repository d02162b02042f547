using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Enrichment.Client.Hosting;
using Enrichment.Grains.Diagnostics;
using Enrichment.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Enrichment.Deploy.Tests;

/// <summary>
/// deploy/monitoring: the Prometheus alert rules are valid and fire when they should (promtool's own rule tests), and
/// the rules and the Grafana dashboard only read metrics the silos and the client export.
/// </summary>
[Trait("Category", "Processes")]
public sealed partial class MonitoringTests
{
    private static readonly string Folder = Repo.PathOf("deploy/monitoring");

    /// <summary>ASP.NET Core's own request metric, which the client exports (asserted on a real scrape in Client.Tests' MetricsTests).</summary>
    private static readonly string[] AspNetCoreMetrics =
        ["http_server_request_duration_seconds_bucket", "http_server_request_duration_seconds_count", "http_server_request_duration_seconds_sum"];

    [Fact]
    public async Task The_alert_rules_are_valid()
    {
        var (exit, output) = await PromtoolAsync("check", "rules", "alerts.yml");
        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS: 6 rules found", output);
    }

    [Fact]
    public async Task Each_alert_fires_on_the_series_that_should_raise_it_and_none_on_a_healthy_cluster()
    {
        var (exit, output) = await PromtoolAsync("test", "rules", "alerts.test.yml");
        Assert.True(exit == 0, output);
        // Every rule is exercised: firing in one test group, silent in the healthy one.
        var tests = File.ReadAllText(Path.Combine(Folder, "alerts.test.yml"));
        foreach (var alert in AlertNames())
        {
            Assert.True(Regex.Matches(tests, $@"alertname: {alert}\b").Count >= 2, $"{alert} is not tested firing and silent");
        }
    }

    [Fact]
    public void The_rules_and_the_dashboard_read_only_metrics_the_services_export()
    {
        var exported = ExportedMetricNames();
        var rules = File.ReadAllText(Path.Combine(Folder, "alerts.yml"));
        var expressions = DashboardExpressions().ToList();

        var used = MetricName().Matches(string.Join("\n", expressions.Append(rules))).Select(m => m.Value).Distinct().ToList();

        Assert.NotEmpty(used);
        Assert.All(used, name => Assert.True(exported.Contains(name), $"{name} is not exported; exported: {string.Join(", ", exported.Order())}"));
        // The dashboard covers what operators watch: ingest, the queue, model batches, enrichment outcomes, reviews.
        foreach (var must in new[] { "enrichment_ingest_events_total", "enrichment_queue_depth", "enrichment_queue_oldest_age_seconds",
                     "enrichment_model_batch_size_bucket", "enrichment_model_batch_duration_seconds_bucket", "enrichment_product_enrichments_total",
                     "enrichment_review_decisions_total" })
        {
            Assert.Contains(expressions, e => e.Contains(must));
        }
    }

    [Fact]
    public void Every_dashboard_panel_has_a_title_a_description_and_queries_on_the_chosen_datasource()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "grafana-dashboard.json")));
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray().Where(p => p.GetProperty("type").GetString() != "row").ToList();

        Assert.True(panels.Count >= 10, $"{panels.Count} panels");
        foreach (var panel in panels)
        {
            var title = panel.GetProperty("title").GetString();
            Assert.False(string.IsNullOrWhiteSpace(title));
            Assert.False(string.IsNullOrWhiteSpace(panel.GetProperty("description").GetString()), title);
            Assert.Equal("${datasource}", panel.GetProperty("datasource").GetProperty("uid").GetString());
            Assert.NotEmpty(panel.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()).Where(e => !string.IsNullOrWhiteSpace(e)));
        }
        Assert.Contains(dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray(),
            v => v.GetProperty("name").GetString() == "datasource" && v.GetProperty("type").GetString() == "datasource");
    }

    /// <summary>
    /// The names the OpenTelemetry Prometheus exporter gives our instruments: dots become underscores, seconds gain
    /// _seconds (annotation units such as {image} add nothing), counters _total, histograms _bucket/_sum/_count.
    /// </summary>
    private static HashSet<string> ExportedMetricNames()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var instruments = new List<Instrument>();
        using var listener = new MeterListener { InstrumentPublished = (instrument, _) => instruments.Add(instrument) };
        listener.Start();
        var silo = new EnrichmentMetrics(meters);
        silo.ObserveTraining(() => []);
        silo.ObserveModelHost(() => 0, () => null);
        silo.ObserveQueue(() => null);
        _ = new ClientMetrics(meters);

        var names = new HashSet<string>(AspNetCoreMetrics, StringComparer.Ordinal);
        foreach (var instrument in instruments.Where(i => i.Name.StartsWith("enrichment.", StringComparison.Ordinal)))
        {
            var name = instrument.Name.Replace('.', '_') + instrument.Unit switch { "s" => "_seconds", "By" => "_bytes", _ => "" };
            var type = instrument.GetType().GetGenericTypeDefinition();
            if (type == typeof(Counter<>) || type == typeof(ObservableCounter<>))
            {
                names.Add(name + "_total");
            }
            else if (type == typeof(Histogram<>))
            {
                names.UnionWith([name + "_bucket", name + "_sum", name + "_count"]);
            }
            else
            {
                names.Add(name);
            }
        }
        return names;
    }

    private static IEnumerable<string> DashboardExpressions()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "grafana-dashboard.json")));
        return dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!))
            .ToList();
    }

    private static IEnumerable<string> AlertNames() =>
        Regex.Matches(File.ReadAllText(Path.Combine(Folder, "alerts.yml")), @"- alert: (\w+)").Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"\b(enrichment|http_server)_[a-z_]+\b")]
    private static partial Regex MetricName();

    private static Task<(int ExitCode, string Output)> PromtoolAsync(params string[] args)
    {
        var promtool = new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("promtool not found: test.sh installs Debian's prometheus package, which has it");
        return Command.RunAsync(promtool, args, TimeSpan.FromMinutes(1), Folder);
    }
}
