using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using Enrichment.Abstractions;

namespace Enrichment.Client.Api;

/// <summary>
/// Writes the review log as CSV or NDJSON, page after page as the cursor goes: the response starts at once and the
/// client holds one page, whatever the log's size.
/// </summary>
public sealed class ReviewExport
{
    public const string Ndjson = "application/x-ndjson";

    private static readonly string[] Header = ["productId", "entry", "attribute", "action", "from", "to", "newValue", "by", "at", "note", "undoes"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    private readonly bool _csv;

    private ReviewExport(bool csv) => _csv = csv;

    public string ContentType => _csv ? "text/csv; charset=utf-8" : Ndjson;
    public string Extension => _csv ? "csv" : "ndjson";

    public static ReviewExport? Of(string format) => format.ToLowerInvariant() switch
    {
        "csv" => new ReviewExport(csv: true),
        "ndjson" => new ReviewExport(csv: false),
        _ => null,
    };

    /// <param name="page">The page after a cursor (null: the first); a page without a next cursor is the last.</param>
    public async Task WriteAsync(Stream body, Func<string?, Task<ReviewHistoryPage>> page, CancellationToken ct)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024);
        // A spreadsheet opens the file: a cell a reviewer's note starts with "=" must not run as a formula.
        await using var csv = _csv ? new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape }, leaveOpen: true) : null;
        if (csv is not null)
        {
            foreach (var name in Header) csv.WriteField(name);
            await csv.NextRecordAsync();
        }
        string? after = null;
        do
        {
            var current = await page(after);
            foreach (var entry in current.Items)
            {
                if (csv is not null)
                {
                    WriteRow(csv, entry);
                    await csv.NextRecordAsync();
                }
                else
                {
                    await writer.WriteAsync(JsonSerializer.Serialize(entry, Json));
                    await writer.WriteAsync('\n');
                }
            }
            await (csv?.FlushAsync() ?? writer.FlushAsync(ct));
            after = current.NextCursor;
        }
        while (after is not null && !ct.IsCancellationRequested);
    }

    private static void WriteRow(CsvWriter csv, ReviewHistoryEntry e)
    {
        csv.WriteField(e.ProductId);
        csv.WriteField(e.Entry.ToString(CultureInfo.InvariantCulture));
        csv.WriteField(e.Attribute);
        csv.WriteField(e.Action.ToString());
        csv.WriteField(e.From ?? "");
        csv.WriteField(e.To ?? "");
        csv.WriteField(e.NewValue ? "true" : "false");
        csv.WriteField(e.By);
        csv.WriteField(e.At.ToString("O", CultureInfo.InvariantCulture));
        csv.WriteField(e.Note ?? "");
        csv.WriteField(e.Undoes?.ToString(CultureInfo.InvariantCulture) ?? "");
    }
}
