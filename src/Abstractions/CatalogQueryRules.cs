using System.Text;

namespace Enrichment.Abstractions;

/// <summary>What a <see cref="CatalogQuery"/> may ask, and the cursor format; shared by the API and both read models.</summary>
public static class CatalogQueryRules
{
    public const int MaxLimit = 200;
    public const int MaxValuesPerAttribute = 20;
    public const int MaxTextLength = 200;
    public const int MaxTextWords = 10;
    /// <summary>Values listed per attribute in facets: the most frequent ones, so a response never grows with the catalogue.</summary>
    public const int MaxFacetValues = 20;

    /// <summary>Every problem with the query, in words an API caller can act on; empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(CatalogQuery query)
    {
        var errors = new List<string>();
        foreach (var (name, values) in query.Attributes)
        {
            if (!AttributeNames.IsSearchable(name))
            {
                errors.Add($"'{ProductEventValidator.Excerpt(name)}' is not searchable; use one of: {string.Join(", ", AttributeNames.Searchable)}");
                continue;
            }
            if (values.Length is 0 or > MaxValuesPerAttribute)
            {
                errors.Add($"{name}: give between 1 and {MaxValuesPerAttribute} values");
            }
            else if (values.Any(v => AttributeNames.NormalizeValue(v).Length is 0 or > ProductEventValidator.MaxAttributeValueLength))
            {
                errors.Add($"{name}: values must be 1 to {ProductEventValidator.MaxAttributeValueLength} characters");
            }
        }
        if (query.Provenance.Length > MaxValuesPerAttribute)
        {
            errors.Add($"provenance: give at most {MaxValuesPerAttribute} values");
        }
        foreach (var p in query.Provenance.Where(p => ProvenanceFacet.Canonical(p) is null))
        {
            errors.Add($"provenance '{ProductEventValidator.Excerpt(p)}' must be catalogue, reviewed, auto or suggested, optionally after an attribute (colour:auto)");
        }
        if (query.Limit is < 1 or > MaxLimit)
        {
            errors.Add($"limit must be between 1 and {MaxLimit}");
        }
        if (query.MinConfidence is { } c && !(c >= 0 && c <= 1))
        {
            errors.Add("minConfidence must be between 0 and 1");
        }
        if (query.Status is { } status && !Enum.IsDefined(status))
        {
            errors.Add("status is not a known enrichment status");
        }
        if (query.ModelVersion is { Length: 0 or > ProductEventValidator.MaxIdLength })
        {
            errors.Add($"modelVersion must be 1 to {ProductEventValidator.MaxIdLength} characters");
        }
        if (query.Text is { } text && (text.Length > MaxTextLength || TextWords(text).Count is 0 or > MaxTextWords))
        {
            errors.Add($"q must hold 1 to {MaxTextWords} words in at most {MaxTextLength} characters");
        }
        if (!Enum.IsDefined(query.Sort))
        {
            errors.Add(CatalogSortNames.Help);
        }
        else if (query.After is { } after)
        {
            if (CatalogCursor.Decode(after) is not { } cursor)
            {
                errors.Add("after is not a cursor this API returned");
            }
            else if (!cursor.BelongsTo(query))
            {
                // Read under another order the cursor's key would mean another place: refuse rather than hand out a wrong page.
                errors.Add($"after: cursor belongs to another sort ({CatalogSortNames.Of(cursor.Sort, cursor.Descending)}, " +
                           $"not {CatalogSortNames.Of(query.Sort, query.Descending)}); start again without after");
            }
        }
        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem (the API answers it with a 400).</summary>
    public static void EnsureValid(CatalogQuery query)
    {
        var errors = Validate(query);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors));
        }
    }

    /// <summary>The cursor after <paramref name="lastProductId"/> in the default (product id) order.</summary>
    public static string EncodeCursor(string lastProductId) => new CatalogCursor(CatalogSort.Id, false, null, lastProductId).Encode();

    /// <summary>
    /// The words of a text as full-text search sees them: runs of letters and digits, lower-cased. PostgreSQL's
    /// 'simple' configuration splits the same way for the words a catalogue holds, so both read models agree.
    /// </summary>
    public static IReadOnlyList<string> TextWords(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        // NFC first: a decomposed "é" (e + combining mark) would otherwise split the word at its mark.
        foreach (var c in TextRules.Nfc(text))
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(char.ToLowerInvariant(c));
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }
        return words;
    }
}
