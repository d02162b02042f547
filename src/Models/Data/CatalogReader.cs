using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Enrichment.Models;

/// <summary>Result of reading a catalogue: usable rows plus counts of what was skipped and why.</summary>
public sealed record CatalogReadResult(IReadOnlyList<CatalogRow> Rows, int Malformed, int MissingImage);

/// <summary>Reads styles.csv (id,masterCategory,subCategory,articleType,baseColour,usage,productDisplayName).</summary>
public static class CatalogReader
{
    public const int ExpectedColumns = 7;

    /// <param name="imagesDir">When given, rows without images/&lt;id&gt;.jpg are dropped.</param>
    public static CatalogReadResult Read(string stylesCsv, string? imagesDir = null)
    {
        using var reader = new StreamReader(stylesCsv);
        return Read(reader, imagesDir);
    }

    public static CatalogReadResult Read(TextReader text, string? imagesDir = null)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = true,
            BadDataFound = null,       // stray quotes: keep the raw text, decide per row below
            MissingFieldFound = null,
            DetectColumnCountChanges = false,
        };
        using var csv = new CsvParser(text, config);
        var rows = new List<CatalogRow>();
        int malformed = 0, missing = 0;
        bool header = true;
        while (csv.Read())
        {
            var f = csv.Record;
            if (header) { header = false; continue; }
            if (f is null || f.Length < ExpectedColumns - 1 || !int.TryParse(f[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int id))
            {
                malformed++;
                continue;
            }
            // Unquoted commas inside the display name produce extra fields: rejoin them.
            string name = f.Length >= ExpectedColumns ? string.Join(",", f.Skip(ExpectedColumns - 1)) : "";
            var row = new CatalogRow(id, f[1].Trim(), f[2].Trim(), f[3].Trim(), f[4].Trim(), f[5].Trim(), name.Trim());
            if (row.ArticleType.Length == 0) { malformed++; continue; }
            if (imagesDir is not null && !File.Exists(ImagePath(imagesDir, id))) { missing++; continue; }
            rows.Add(row);
        }
        return new CatalogReadResult(rows, malformed, missing);
    }

    /// <summary>Product id -> productDisplayName of every well-formed row (the names a name-reading model is given).</summary>
    public static Dictionary<int, string> ReadNames(string stylesCsv) =>
        Read(stylesCsv).Rows.GroupBy(r => r.Id).ToDictionary(g => g.Key, g => g.First().DisplayName);

    public static string ImagePath(string imagesDir, int id) => Path.Combine(imagesDir, id.ToString(CultureInfo.InvariantCulture) + ".jpg");
}
