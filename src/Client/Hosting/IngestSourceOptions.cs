using System.CommandLine;
using Enrichment.Client.Ingest;

namespace Enrichment.Client.Hosting;

/// <summary>The switches that name what to ingest, shared by `serve` (ingests in the background) and `ingest`.</summary>
public sealed class IngestSourceOptions
{
    private readonly Option<string?> _catalog = new("--catalog") { Description = "Catalogue CSV (styles.csv)" };
    private readonly Option<string?> _images = new("--images") { Description = "Image folder of the catalogue (default: images/ beside the CSV)" };
    private readonly Option<string?> _ndjson = new("--ndjson") { Description = "NDJSON file of product events" };
    private readonly Option<long?> _version = new("--version") { Description = "Version of a CSV snapshot (default: the file's modification time)" };

    public void AddTo(Command command)
    {
        command.Options.Add(_catalog);
        command.Options.Add(_images);
        command.Options.Add(_ndjson);
        command.Options.Add(_version);
    }

    /// <summary>What the command line names that is not there (one line, for stderr), or null.</summary>
    public string? Missing(ParseResult result)
    {
        if (result.GetValue(_catalog) is { } catalog && !File.Exists(catalog))
        {
            return $"catalogue file '{catalog}' not found";
        }
        if (result.GetValue(_images) is { } images && !Directory.Exists(images))
        {
            return $"image folder '{images}' not found";
        }
        if (result.GetValue(_ndjson) is { } ndjson && !File.Exists(ndjson))
        {
            return $"NDJSON file '{ndjson}' not found";
        }
        return null;
    }

    /// <summary>Null when the command line names nothing to ingest.</summary>
    public IngestSources? Read(ParseResult result) =>
        IngestSources.From(result.GetValue(_catalog), result.GetValue(_images), result.GetValue(_ndjson), result.GetValue(_version));
}
