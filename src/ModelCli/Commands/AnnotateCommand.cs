using System.CommandLine;
using Enrichment.Models;
using Spectre.Console;

namespace Enrichment.ModelCli.Commands;

internal static class AnnotateCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Required = true };
        var inputs = new Argument<string[]>("images") { Description = "image files or directories", Arity = ArgumentArity.OneOrMore };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 32 };
        var device = new Option<string?>("--device");
        var input = new Option<string?>("--input") { Description = "photo | photo+name (default: every input the model takes; names come from --catalog)" };
        var catalog = new Option<string?>("--catalog") { Description = "styles.csv whose productDisplayName is read as the name of <id>.jpg" };
        var cmd = new Command("annotate", "Predict colour, brand, type and a caption for images.") { checkpoint, inputs, batch, device, input, catalog };
        cmd.SetAction(pr =>
        {
            using var model = EnrichmentModel.Load(pr.GetValue(checkpoint)!, TorchDevices.Select(pr.GetValue(device)));
            var mode = pr.GetValue(input) is { } requested ? ModelInputs.Parse(requested) : ModelInputs.ModesOf(model.Options)[^1];
            var names = mode == InputMode.PhotoAndName && pr.GetValue(catalog) is { } csv
                ? CatalogReader.ReadNames(csv)
                : new Dictionary<int, string>();
            var files = pr.GetValue(inputs)!.SelectMany<string, string>(p => Directory.Exists(p)
                ? Directory.EnumerateFiles(p).Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase)).Order()
                : new[] { p }).ToList();
            var table = new Table().AddColumns("image", "type", "colour", "brand", "caption");
            int failures = 0;
            foreach (var chunk in files.Chunk(Math.Max(1, pr.GetValue(batch))))
            {
                var decoded = new List<(string File, DecodedImage Image)>();
                foreach (var f in chunk)
                {
                    try { decoded.Add((f, ImageDecoder.Decode(File.ReadAllBytes(f), model.Preprocessing))); }
                    catch (Exception e) when (e is ImageDecodeException or IOException)
                    {
                        failures++;
                        table.AddRow(Markup.Escape(Path.GetFileName(f)), "[red]error[/]", "", "", Markup.Escape(e.Message));
                    }
                }
                if (decoded.Count == 0) continue;
                var preds = model.Predict(decoded.Select(d => new ModelInput(d.Image, NameOf(d.File))).ToList());
                for (int i = 0; i < preds.Count; i++)
                {
                    var p = preds[i];
                    table.AddRow(Markup.Escape(Path.GetFileName(decoded[i].File)), Fmt(p.Type), Fmt(p.Colour), Fmt(p.Brand), Markup.Escape(p.Caption));
                }
            }
            AnsiConsole.Write(table);
            string? NameOf(string file) => int.TryParse(Path.GetFileNameWithoutExtension(file), out var id) && names.TryGetValue(id, out var n) ? n : null;
            AnsiConsole.MarkupLine($"[grey]model {model.Version}; {files.Count - failures} annotated, {failures} failed[/]");
            return failures == files.Count && files.Count > 0 ? 1 : 0;
        });
        return cmd;
    }

    private static string Fmt(AttributePrediction p) => $"{Markup.Escape(p.Value)} ({p.Confidence:P0})";
}
