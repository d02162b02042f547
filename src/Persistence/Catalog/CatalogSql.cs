using System.Text;
using Enrichment.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Enrichment.Persistence.Catalog;

/// <summary>
/// Turns a <see cref="CatalogQuery"/> into SQL over <c>catalog_products</c>. Values travel as parameters; only
/// attribute names (from <see cref="AttributeNames.Searchable"/>) and fixed fragments become SQL text.
/// </summary>
internal sealed class CatalogSql
{
    private readonly StringBuilder _where = new("TRUE");
    private readonly List<NpgsqlParameter> _parameters = [];
    private readonly CatalogQuery _query;

    public CatalogSql(CatalogQuery query)
    {
        _query = query;
        foreach (var (name, values) in query.Attributes)
        {
            var terms = values.Select(CatalogProjection.Normalized).Distinct().SelectMany(v => TermsFor(query.Source, name, v)).ToArray();
            _where.Append($" AND p.terms && {Parameter(terms, NpgsqlDbType.Array | NpgsqlDbType.Text)}");
            if (query.MinConfidence is { } min && ConfidenceCondition(query.Source, name, min) is { } condition)
            {
                _where.Append(" AND ").Append(condition);
            }
        }
        var required = new List<string>();
        if (query.Status is { } status)
        {
            required.Add(StatusTerm(status));
        }
        if (query.ModelVersion is { } model)
        {
            required.Add(ModelTerm(model));
        }
        if (query.Provenance.Length > 0)
        {
            var wanted = query.Provenance.Select(ProvenanceFacet.Canonical).OfType<string>().Select(ProvenanceTerm).Distinct().ToArray();
            _where.Append($" AND p.terms && {Parameter(wanted, NpgsqlDbType.Array | NpgsqlDbType.Text)}");
        }
        if (query.Reviewed is { } reviewed)
        {
            _where.Append($" AND {(reviewed ? "" : "NOT ")}p.terms @> {Parameter(new[] { AnyReviewTerm }, NpgsqlDbType.Array | NpgsqlDbType.Text)}");
        }
        if (required.Count > 0)
        {
            _where.Append($" AND p.terms @> {Parameter(required.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)}");
        }
        if (query.MinConfidence is { } lowest && !CatalogQueryPlan.ConfidenceCoveredByFilters(query))
        {
            _where.Append($" AND p.lowest_confidence >= {Parameter(lowest, NpgsqlDbType.Real)}");
        }
        if (query.Text is { } text)
        {
            // Words are letters and digits only (CatalogQueryRules.TextWords), so joining them is a valid tsquery.
            var tsquery = string.Join(" & ", CatalogQueryRules.TextWords(text).Distinct());
            _where.Append($" AND p.words @@ {Parameter(tsquery, NpgsqlDbType.Text)}::tsquery");
        }
    }

    public static string Term(AttributeSource source, string attribute, string normalizedValue) =>
        $"{SourcePrefix(source)}:{attribute}={normalizedValue}";

    /// <summary>
    /// The terms that mean "<paramref name="attribute"/> is <paramref name="value"/>" under <paramref name="source"/>.
    /// Rows carry an effective term only where a prediction stands in for a missing catalogue value (see
    /// <see cref="PostgresCatalogReadModel"/>), so an effective match is either kind of term.
    /// </summary>
    public static IEnumerable<string> TermsFor(AttributeSource source, string attribute, string value) => source == AttributeSource.Effective
        ? [Term(AttributeSource.Catalogue, attribute, value), Term(AttributeSource.Effective, attribute, value)]
        : [Term(source, attribute, value)];

    public static string StatusTerm(EnrichmentStatus status) => $"s:{status}";

    /// <summary>The term of a canonical provenance filter ("auto", "colour:auto").</summary>
    public static string ProvenanceTerm(string canonical) => $"v:{canonical}";

    public static string ModelTerm(string modelVersion) => $"m:{modelVersion}";

    /// <summary>Carried by a product with a reviewed value for <paramref name="attribute"/>.</summary>
    public static string ReviewedTerm(string attribute) => $"r:{attribute}";

    /// <summary>Carried by a product with any reviewed value.</summary>
    public const string AnyReviewTerm = "r:*";

    /// <summary>Every term a product's row carries (its <c>terms</c> column): what the GIN index answers filters from.</summary>
    public static string[] TermsOf(CatalogProjection row)
    {
        var terms = new List<string> { StatusTerm(row.View.EnrichmentStatus) };
        if (row.View.Enrichment?.ModelVersion is { } model)
        {
            terms.Add(ModelTerm(model));
        }
        foreach (var (name, a) in row.Attributes)
        {
            if (a.Catalogue is { } c) terms.Add(Term(AttributeSource.Catalogue, name, c));
            if (a.Predicted is { } p) terms.Add(Term(AttributeSource.Predicted, name, p));
            // The effective value is the catalogue's whenever there is one: only a prediction standing in needs its own term.
            if (a.Catalogue is null && a.Effective is { } e) terms.Add(Term(AttributeSource.Effective, name, e));
        }
        foreach (var reviewed in row.View.Reviews.Keys)
        {
            terms.Add(ReviewedTerm(reviewed));
        }
        terms.AddRange(row.ProvenanceTerms.Select(ProvenanceTerm));
        if (row.IsReviewed)
        {
            terms.Add(AnyReviewTerm);
        }
        return terms.Distinct().ToArray();
    }

    public static string SourcePrefix(AttributeSource source) => source switch
    {
        AttributeSource.Catalogue => "c",
        AttributeSource.Predicted => "p",
        _ => "e",
    };

    /// <summary>Up to <paramref name="limit"/> matches after <paramref name="cursor"/> in the query's order (<see cref="SearchOrderSql"/>).</summary>
    public NpgsqlCommand Page(SearchKey? cursor, int limit)
    {
        var (select, after, orderBy) = SearchOrderSql.Page(_query, cursor is not null);
        var command = Command($"SELECT {select} FROM catalog_products p WHERE {_where}{(after is null ? "" : " AND " + after)} ORDER BY {orderBy} LIMIT @limit");
        if (cursor is { } c)
        {
            SearchOrderSql.AddCursor(command.Parameters, _query, c);
        }
        command.Parameters.Add(new NpgsqlParameter("@limit", NpgsqlDbType.Integer) { Value = limit });
        return command;
    }

    /// <summary>Counts the matches, stopping at <paramref name="cap"/>: a broad filter costs what a cap-sized one does.</summary>
    public NpgsqlCommand CappedCount(int cap)
    {
        var command = Command($"SELECT count(*) FROM (SELECT 1 FROM catalog_products p WHERE {_where} LIMIT @cap) capped");
        command.Parameters.Add(new NpgsqlParameter("@cap", NpgsqlDbType.Integer) { Value = cap });
        return command;
    }

    /// <summary>
    /// Counts in a fixed block sample of <paramref name="percent"/> of the table (REPEATABLE: the same sample for
    /// the same table, so an estimate does not jump between the pages of one search).
    /// </summary>
    /// <returns>Matches and rows in the sample: their ratio, times the table's rows, estimates the total.</returns>
    public NpgsqlCommand SampledCount(double percent) =>
        WithSample(Command($"SELECT count(*) FILTER (WHERE {_where}), count(*) FROM {Sampled}"), percent);

    private const string Sampled = "catalog_products p TABLESAMPLE SYSTEM (@sample_percent) REPEATABLE (7)";

    private static NpgsqlCommand WithSample(NpgsqlCommand command, double? percent)
    {
        if (percent is { } p)
        {
            command.Parameters.Add(new NpgsqlParameter("@sample_percent", NpgsqlDbType.Real) { Value = (float)p });
        }
        return command;
    }

    /// <summary>
    /// The most frequent values of each attribute among the matches: one scan of the matches feeding one hash
    /// aggregate per attribute (grouping sets), rather than a row per product and attribute; counted per normalised
    /// value, shown in the catalogue's spelling (<see cref="ValueSpellings"/>).
    /// </summary>
    /// <param name="samplePercent">Count in a block sample of this share of the table (counts are not scaled here); null: count every match.</param>
    public NpgsqlCommand Facets(double? samplePercent = null)
    {
        var attributes = AttributeNames.Searchable;
        var values = string.Join(", ", attributes.Select((a, i) => $"{FacetValue(a)} AS v{i}"));
        var attribute = string.Join(" ", attributes.Select((a, i) => $"WHEN GROUPING(v{i}) = 0 THEN '{a}'"));
        var value = string.Join(", ", attributes.Select((_, i) => $"v{i}"));
        var sets = string.Join(", ", attributes.Select((_, i) => $"(v{i})"));
        // The provenance facet counts the rows' provenance terms ("v:auto", "v:colour:auto": at most 28 per row).
        // The counted values (at most 20 per attribute) are joined to the catalogue's spelling map at the end, so the
        // values are shown as the catalogue writes them without reading any matching row's state.
        var command = Command($"""
            SELECT facets.attribute, COALESCE(s.spelling, facets.value), facets.n FROM (
                SELECT attribute, value, n FROM (
                    SELECT attribute, value, n,
                           row_number() OVER (PARTITION BY attribute ORDER BY n DESC, value COLLATE "C") AS rank
                    FROM (
                        SELECT CASE {attribute} END AS attribute, COALESCE({value}) AS value, count(*) AS n
                        FROM (SELECT {values} FROM {(samplePercent is null ? "catalog_products p" : Sampled)} WHERE {_where}) matches
                        GROUP BY GROUPING SETS ({sets})) counted
                    WHERE value IS NOT NULL) ranked
                WHERE rank <= {CatalogQueryRules.MaxFacetValues}
                UNION ALL
                SELECT '{ProvenanceFacet.Name}', substr(t, 3), count(*)
                FROM {(samplePercent is null ? "catalog_products p" : Sampled)} CROSS JOIN LATERAL unnest(p.terms) t
                WHERE {_where} AND t LIKE 'v:%'
                GROUP BY t) facets
            LEFT JOIN catalog_spellings s ON s.attribute = facets.attribute AND s.value = facets.value
            ORDER BY facets.attribute, facets.n DESC, facets.value COLLATE "C"
            """);
        if (_query.MinConfidence is { } min)
        {
            command.Parameters.Add(new NpgsqlParameter("@facet_min", NpgsqlDbType.Real) { Value = min });
        }
        return WithSample(command, samplePercent);
    }

    private string FacetValue(string attribute)
    {
        if (_query.MinConfidence is null)
        {
            return $"p.{attribute}_{SourcePrefix(_query.Source)}";
        }
        var confident = $"p.{attribute}_pc >= @facet_min";
        return _query.Source switch
        {
            AttributeSource.Catalogue => $"p.{attribute}_c",
            AttributeSource.Predicted => $"CASE WHEN {confident} THEN p.{attribute}_p END",
            _ => $"COALESCE(p.{attribute}_c, CASE WHEN {confident} THEN p.{attribute}_e END)",
        };
    }

    private string? ConfidenceCondition(AttributeSource source, string attribute, float min) => source switch
    {
        AttributeSource.Catalogue => null,
        AttributeSource.Predicted => $"p.{attribute}_pc >= {Parameter(min, NpgsqlDbType.Real)}",
        _ => $"(p.{attribute}_c IS NOT NULL OR p.{attribute}_pc >= {Parameter(min, NpgsqlDbType.Real)})",
    };

    private string Parameter(object value, NpgsqlDbType type)
    {
        var name = $"@p{_parameters.Count}";
        _parameters.Add(new NpgsqlParameter(name, type) { Value = value });
        return name;
    }

    private NpgsqlCommand Command(string sql)
    {
        var command = new NpgsqlCommand(sql);
        // Each command gets its own copies: a parameter belongs to one collection.
        foreach (var p in _parameters)
        {
            command.Parameters.Add(p.Clone());
        }
        return command;
    }
}
