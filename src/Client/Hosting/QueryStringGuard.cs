using Enrichment.Abstractions;

namespace Enrichment.Client.Hosting;

/// <summary>
/// Refuses query strings no endpoint could mean: control, invisible or bidi characters (a NUL reached PostgreSQL as
/// error 22021 from every index shard), values longer than any id or attribute value, and more parameters than any
/// endpoint reads. Checked once here, so every endpoint, present and future, is covered.
/// </summary>
public static class QueryStringGuard
{
    public const int MaxParameters = 16;
    public const int MaxLength = 256;

    public static IApplicationBuilder UseQueryStringGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (Problem(context.Request.Query) is { } detail)
        {
            await Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context);
            return;
        }
        await next(context);
    });

    private static string? Problem(IQueryCollection query)
    {
        if (query.Count > MaxParameters)
        {
            return $"at most {MaxParameters} query parameters are accepted (got {query.Count})";
        }
        foreach (var (key, values) in query)
        {
            foreach (var text in values.Prepend(key))
            {
                if (text is null)
                {
                    continue;
                }
                if (text.Length > MaxLength)
                {
                    return $"query parameter '{ProductEventValidator.Excerpt(key)}' is longer than {MaxLength} characters";
                }
                if (text.Any(char.IsControl) || TextRules.HasInvisibleOrBidiControl(text) || !TextRules.IsWellFormedUtf16(text))
                {
                    return $"query parameter '{ProductEventValidator.Excerpt(key)}' contains control, invisible or malformed characters";
                }
            }
        }
        return null;
    }
}
