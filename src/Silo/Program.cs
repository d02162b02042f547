using Enrichment.Persistence;
using Enrichment.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var (commandLine, exitCode) = SiloCommand.Parse(args);
if (exitCode is { } exit)
{
    return exit; // --help, or a command-line error already printed
}

// Content root is the binary's folder so appsettings.json is found whatever the working directory.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddEnvironmentVariables("ENRICHMENT_");
builder.Configuration.AddInMemoryCollection(commandLine);
builder.Services.AddSiloOptionsValidation(builder.Configuration);
if (SiloPreflight.Problems(builder.Configuration) is { Count: > 0 } problems)
{
    Console.Error.WriteLine($"The silo cannot start:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}");
    return SiloCommand.ExitCodes.Refused;
}

var options = builder.Configuration.GetSection(SiloHostOptions.Section).Get<SiloHostOptions>() ?? new SiloHostOptions();
if (options.UsesPostgres)
{
    // Every silo applies the schema: it is idempotent and serialised by an advisory lock.
    await PostgresSchema.ApplyAsync(options.Postgres!);
}
// Before the silo: hosted services start in order, and a starting silo should already answer "live, not ready".
builder.Services.AddSiloHealth(builder.Configuration);
builder.UseOrleans(silo => silo.ConfigureEnrichmentSilo(options, builder.Configuration));
builder.Services.AddSiloMetrics(builder.Configuration);

using var host = builder.Build();
var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Enrichment.Silo");
await host.StartAsync();
logger.LogInformation("Silo ready: cluster {ClusterId}, silo port {SiloPort}, gateway port {GatewayPort}, storage {Storage}, accelerator {Accelerator}",
    options.ClusterId, options.SiloPort, options.GatewayPort, options.UsesPostgres ? "postgres" : "memory", options.Accelerator ?? "none");
await host.WaitForShutdownAsync();
return SiloCommand.ExitCodes.Stopped;
