using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Enrichment.Models;
using Spectre.Console;

namespace Enrichment.ModelCli.Commands;

internal static class AnnotateCommand
{
    /// <summary>One image's answer, as the json and csv formats write it (error set, predictions null, when it failed).</summary>
    internal sealed record Annotation(string File, Prediction? Type, Prediction? Colour, Prediction? Brand, string? Caption, string? Error);

    internal sealed record Prediction(string Value, float Confidence);

    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "checkpoint directory (manifest.json + weights.bin)", Required = true };
        var inputs = new Argument<string[]>("images") { Description = "image files or directories", Arity = ArgumentArity.OneOrMore };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 32 };
        var device = new Option<string?>("--device");
        var input = new Option<string?>("--input") { Description = "photo | photo+name (default: every input the model takes; names come from --catalog)" };
        var catalog = new Option<string?>("--catalog") { Description = "styles.csv whose productDisplayName is read as the name of <id>.jpg" };
        var format = new Option<string>("--format")
        {
            Description = "text (a table), json (an array on stdout) or csv (a header and one row per image on stdout)",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json", "csv");
        var cmd = new Command("annotate", "Predict colour, brand, type and a caption for images; exits 1 when any image failed.")
        {
            checkpoint, inputs, batch, device, input, catalog, format,
        };
        cmd.SetAction(pr =>
        {
            var paths = pr.GetValue(inputs)!;
            if (CliInputs.Missing("annotate", [("checkpoint", pr.GetValue(checkpoint), InputKind.Directory), ("catalogue", pr.GetValue(catalog), InputKind.File),
                    .. paths.Select(p => ("image", (string?)p, InputKind.FileOrDirectory))]) is { } missing)
            {
                return missing;
            }
            using var model = EnrichmentModel.Load(pr.GetValue(checkpoint)!, TorchDevices.Select(pr.GetValue(device)));
            var mode = pr.GetValue(input) is { } requested ? ModelInputs.Parse(requested) : ModelInputs.ModesOf(model.Options)[^1];
            var names = mode == InputMode.PhotoAndName && pr.GetValue(catalog) is { } csv
                ? CatalogReader.ReadNames(csv)
                : new Dictionary<int, string>();
            var files = paths.SelectMany<string, string>(p => Directory.Exists(p)
                ? Directory.EnumerateFiles(p).Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase)).Order()
                : new[] { p }).ToList();
            var annotations = new List<Annotation>();
            foreach (var chunk in files.Chunk(Math.Max(1, pr.GetValue(batch))))
            {
                var decoded = new List<(string File, DecodedImage Image)>();
                foreach (var f in chunk)
                {
                    try { decoded.Add((f, ImageDecoder.Decode(File.ReadAllBytes(f), model.Preprocessing))); }
                    catch (Exception e) when (e is ImageDecodeException or IOException or UnauthorizedAccessException)
                    {
                        annotations.Add(new Annotation(f, null, null, null, null, e.Message));
                    }
                }
                if (decoded.Count == 0) continue;
                var preds = model.Predict(decoded.Select(d => new ModelInput(d.Image, NameOf(d.File))).ToList());
                for (int i = 0; i < preds.Count; i++)
                {
                    var p = preds[i];
                    annotations.Add(new Annotation(decoded[i].File, Of(p.Type), Of(p.Colour), Of(p.Brand), p.Caption, null));
                }
            }
            string? NameOf(string file) => int.TryParse(Path.GetFileNameWithoutExtension(file), out var id) && names.TryGetValue(id, out var n) ? n : null;

            // In files order, whatever order decoding failures were found in.
            var order = files.Select((f, i) => (f, i)).GroupBy(x => x.f).ToDictionary(g => g.Key, g => g.First().i);
            annotations = annotations.OrderBy(a => order[a.File]).ToList();
            var failures = annotations.Count(a => a.Error is not null);
            var summary = $"model {model.Version}; {annotations.Count - failures} annotated, {failures} failed";
            switch (pr.GetValue(format))
            {
                case "json":
                    Console.Out.WriteLine(JsonSerializer.Serialize(annotations, CliData.ReportJson));
                    Console.Error.WriteLine(summary); // stdout stays one JSON document
                    break;
                case "csv":
                    Console.Out.Write(Csv(annotations));
                    Console.Error.WriteLine(summary);
                    break;
                default:
                    var table = new Table().AddColumns("image", "type", "colour", "brand", "caption");
                    foreach (var a in annotations)
                    {
                        if (a.Error is { } error)
                            table.AddRow(Markup.Escape(Path.GetFileName(a.File)), "[red]error[/]", "", "", Markup.Escape(error));
                        else
                            table.AddRow(Markup.Escape(Path.GetFileName(a.File)), Fmt(a.Type!), Fmt(a.Colour!), Fmt(a.Brand!), Markup.Escape(a.Caption ?? ""));
                    }
                    AnsiConsole.Write(table);
                    AnsiConsole.MarkupLine($"[grey]{Markup.Escape(summary)}[/]");
                    break;
            }
            return failures > 0 ? 1 : 0;
        });
        return cmd;
    }

    private static Prediction Of(AttributePrediction p) => new(p.Value, p.Confidence);

    private static string Fmt(Prediction p) => $"{Markup.Escape(p.Value)} ({p.Confidence:P0})";

    /// <summary>RFC 4180: every field quoted, quotes doubled; confidences with invariant decimals.</summary>
    private static string Csv(IEnumerable<Annotation> annotations)
    {
        var text = new StringBuilder("file,type,type_confidence,colour,colour_confidence,brand,brand_confidence,caption,error\n");
        foreach (var a in annotations)
        {
            string[] fields =
            [
                a.File, a.Type?.Value ?? "", Confidence(a.Type), a.Colour?.Value ?? "", Confidence(a.Colour), a.Brand?.Value ?? "", Confidence(a.Brand),
                a.Caption ?? "", a.Error ?? "",
            ];
            text.Append(string.Join(',', fields.Select(f => "\"" + f.Replace("\"", "\"\"") + "\""))).Append('\n');
        }
        return text.ToString();
    }

    private static string Confidence(Prediction? p) => p is null ? "" : p.Confidence.ToString("0.####", CultureInfo.InvariantCulture);
}
