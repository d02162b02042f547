using Enrichment.Models;
using Spectre.Console;

namespace Enrichment.ModelCli;

/// <summary>Catalogue loading shared by the commands.</summary>
internal static class CliData
{
    /// <summary>How reports are written: indented, camelCase (as the cluster's API serves them).</summary>
    public static readonly System.Text.Json.JsonSerializerOptions ReportJson = new(System.Text.Json.JsonSerializerDefaults.Web) { WriteIndented = true };

    public static IReadOnlyList<CatalogRow> ReadCatalog(string catalog, string images)
    {
        if (!File.Exists(catalog)) throw new FileNotFoundException($"Catalogue '{catalog}' not found.");
        if (!Directory.Exists(images)) throw new DirectoryNotFoundException($"Image directory '{images}' not found.");
        var result = CatalogReader.Read(catalog, images);
        AnsiConsole.MarkupLine($"[grey]catalogue:[/] {result.Rows.Count:N0} rows with images, {result.Malformed} malformed rows skipped, {result.MissingImage} rows without image skipped");
        return result.Rows;
    }

    /// <summary>What a decoded labelled set reports to the console.</summary>
    public static void ReportLoaded(string name, LabeledSet set, TimeSpan elapsed)
    {
        AnsiConsole.MarkupLine($"[grey]{name}:[/] decoded {set.Count:N0} images in {elapsed.TotalSeconds:F1}s ({set.Failed.Count} failed)");
        foreach (var f in set.Failed.Values.Take(5)) AnsiConsole.MarkupLineInterpolated($"[yellow]  skipped {f}[/]");
    }

    public static Architecture ParseArchitecture(string s) => s.ToLowerInvariant() switch
    {
        "resnet18" or "small" => Architecture.ResNet18,
        "resnet50" => Architecture.ResNet50,
        _ => throw new ArgumentException($"Unknown architecture '{s}' (resnet18|resnet50)."),
    };
}
