using Microsoft.AspNetCore.Diagnostics;

namespace Enrichment.Client.Hosting;

/// <summary>
/// A malformed or oversized request (Kestrel's body limit, unreadable JSON) is the sender's mistake: answered as a
/// problem with its own status and logged as one line, never as an unhandled exception with a stack trace.
/// </summary>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems, ILogger<BadRequestExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }
        var detail = Detail(bad);
        logger.LogInformation("Refused {Method} {Path}: {Status} {Reason}", context.Request.Method, context.Request.Path.Value, bad.StatusCode, detail);
        context.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = bad.StatusCode, Detail = detail },
        });
    }

    /// <summary>
    /// What was wrong, in the sender's terms: which parameter or field, and what kind of mistake. The framework's own
    /// messages name the handler's .NET parameter types ("Failed to read parameter \"TrainingRequest? request\"", "could
    /// not be converted to System.Int32"), which mean nothing to a sender: those are rewritten, never passed on.
    /// </summary>
    internal static string Detail(BadHttpRequestException bad)
    {
        if (bad.InnerException is System.Text.Json.JsonException json)
        {
            return $"the request body is not what this endpoint reads: {Enrichment.Client.Ingest.JsonProblem.Describe(json)}";
        }
        if (BindFailure().Match(bad.Message) is { Success: true } bind)
        {
            return $"'{bind.Groups["name"].Value}' cannot be '{Enrichment.Abstractions.ProductEventValidator.Excerpt(bind.Groups["value"].Value)}'";
        }
        if (Missing().Match(bad.Message) is { Success: true } missing)
        {
            return $"'{missing.Groups["name"].Value}' is required";
        }
        // Any other message that quotes a parameter declaration ("Type name") keeps only the name.
        return Declaration().Replace(bad.Message, m => $"'{m.Groups["name"].Value}'");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^Failed to bind parameter ""[^""]*?(?<name>\w+)"" from ""(?<value>.*)""\.?$", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex BindFailure();

    [System.Text.RegularExpressions.GeneratedRegex(@"^Required parameter ""[^""]*?(?<name>\w+)"" was not provided")]
    private static partial System.Text.RegularExpressions.Regex Missing();

    [System.Text.RegularExpressions.GeneratedRegex(@"parameter ""[^""]*? (?<name>\w+)""")]
    private static partial System.Text.RegularExpressions.Regex Declaration();
}
