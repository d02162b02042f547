using Microsoft.Extensions.Options;

namespace Enrichment.Client.Ingest;

/// <summary>Ingest limits must be usable numbers: a zero or negative limit would refuse everything or bound nothing.</summary>
public sealed class IngestOptionsValidator : IValidateOptions<IngestOptions>
{
    public ValidateOptionsResult Validate(string? name, IngestOptions o)
    {
        var problems = new List<string>();
        if (o.MaxImageBytes is < 1 or > 256 * 1024 * 1024)
        {
            problems.Add($"Ingest:MaxImageBytes must be between 1 and {256 * 1024 * 1024}, got {o.MaxImageBytes}");
        }
        if (o.MaxRequestBytes is < 1024 or > int.MaxValue)
        {
            problems.Add($"Ingest:MaxRequestBytes must be between 1024 and {int.MaxValue}, got {o.MaxRequestBytes}");
        }
        if (o.MaxImagePixels is < 1 or > 1_000_000_000)
        {
            problems.Add($"Ingest:MaxImagePixels must be between 1 and 1000000000, got {o.MaxImagePixels}");
        }
        if (o.MaxPixelsPerByte < 1)
        {
            problems.Add($"Ingest:MaxPixelsPerByte must be at least 1, got {o.MaxPixelsPerByte}");
        }
        if (o.MaxEventsPerRequest < 1)
        {
            problems.Add($"Ingest:MaxEventsPerRequest must be at least 1, got {o.MaxEventsPerRequest}");
        }
        if (o.Parallelism is < 1 or > 1024)
        {
            problems.Add($"Ingest:Parallelism must be between 1 and 1024, got {o.Parallelism}");
        }
        if (o.MaxAttempts is < 1 or > 100)
        {
            problems.Add($"Ingest:MaxAttempts must be between 1 and 100, got {o.MaxAttempts}");
        }
        return problems.Count > 0 ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
