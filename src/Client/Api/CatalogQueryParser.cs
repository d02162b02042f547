using System.Globalization;
using Enrichment.Abstractions;
using Microsoft.Extensions.Primitives;

namespace Enrichment.Client.Api;

/// <summary>
/// Reads <c>GET /api/products</c>'s query string: searchable attributes (repeat one for OR), source, minConfidence,
/// status, modelVersion, provenance (repeatable), reviewed (true/false), q (words), sort (id, name, confidence, updated; '-' before
/// one: descending), after (cursor), limit, total and facets. Anything else is refused, not ignored.
/// </summary>
public static class CatalogQueryParser
{
    public static (CatalogQuery? Query, IReadOnlyList<string> Errors) Parse(IQueryCollection parameters)
    {
        var errors = new List<string>();
        var attributes = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var query = new CatalogQuery();
        foreach (var (key, values) in parameters)
        {
            if (AttributeNames.IsSearchable(key))
            {
                attributes[key] = values.Select(v => v ?? "").ToArray();
                continue;
            }
            if (key == "provenance")
            {
                query = query with { Provenance = values.Select(v => v ?? "").ToArray() };
                continue;
            }
            if (values.Count > 1)
            {
                errors.Add($"'{ProductEventValidator.Excerpt(key)}' is given more than once (only attributes take several values)");
                continue;
            }
            var value = values.ToString();
            query = key switch
            {
                "source" => Enum.TryParse<AttributeSource>(value, ignoreCase: true, out var s) && Enum.IsDefined(s) && !int.TryParse(value, out _)
                    ? query with { Source = s } : Error(query, "source must be effective, catalogue or predicted"),
                "minConfidence" => float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var c)
                    ? query with { MinConfidence = c } : Error(query, "minConfidence must be a number between 0 and 1"),
                "status" => Enum.TryParse<EnrichmentStatus>(value, ignoreCase: true, out var st) && Enum.IsDefined(st) && !int.TryParse(value, out _)
                    ? query with { Status = st } : Error(query, $"status must be one of: {string.Join(", ", Enum.GetNames<EnrichmentStatus>())}"),
                "modelVersion" => query with { ModelVersion = value },
                "q" => query with { Text = value },
                "after" => query with { After = value },
                "sort" => CatalogSortNames.TryParse(value, out var sort, out var descending)
                    ? query with { Sort = sort, Descending = descending } : Error(query, CatalogSortNames.Help),
                "limit" => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)
                    ? query with { Limit = l } : Error(query, $"limit must be an integer between 1 and {CatalogQueryRules.MaxLimit}"),
                "total" => bool.TryParse(value, out var t) ? query with { IncludeTotal = t } : Error(query, "total must be true or false"),
                "facets" => bool.TryParse(value, out var f) ? query with { IncludeFacets = f } : Error(query, "facets must be true or false"),
                "reviewed" => bool.TryParse(value, out var r) ? query with { Reviewed = r } : Error(query, "reviewed must be true or false"),
                "page" or "pageSize" => Error(query, "pages are continued with the cursor: pass the previous page's nextCursor as after, and limit"),
                _ => Error(query, $"'{ProductEventValidator.Excerpt(key)}' is not searchable; attributes: {string.Join(", ", AttributeNames.Searchable)}; " +
                                  "other parameters: source, minConfidence, status, modelVersion, provenance, reviewed, q, sort, after, limit, total, facets"),
            };
        }
        query = query with { Attributes = attributes };
        if (errors.Count == 0)
        {
            errors.AddRange(CatalogQueryRules.Validate(query));
        }
        return (errors.Count == 0 ? query : null, errors);

        CatalogQuery Error(CatalogQuery unchanged, string message)
        {
            errors.Add(message);
            return unchanged;
        }
    }
}
