using Microsoft.AspNetCore.Diagnostics;

namespace Enrichment.Client.Hosting;

/// <summary>
/// A malformed or oversized request (Kestrel's body limit, unreadable JSON) is the sender's mistake: answered as a
/// problem with its own status and logged as one line, never as an unhandled exception with a stack trace.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problems, ILogger<BadRequestExceptionHandler> logger) : IExceptionHandler
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
    /// "Failed to read parameter ..." says where; the JSON reader's own message says what (which field, which value),
    /// excerpted because the sender controls the text it quotes.
    /// </summary>
    private static string Detail(BadHttpRequestException bad) =>
        bad.InnerException is System.Text.Json.JsonException json && !string.IsNullOrWhiteSpace(json.Message)
            ? $"{bad.Message} {Enrichment.Abstractions.ProductEventValidator.Excerpt(json.Message, 300)}"
            : bad.Message;
}
