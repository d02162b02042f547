namespace Enrichment.Models;

/// <summary>
/// Which inputs a prediction uses. A model that reads names is scored, and its thresholds chosen, in both modes, so a
/// product whose name is missing or says nothing still has an honest figure.
/// </summary>
public enum InputMode
{
    /// <summary>The photo alone (the name is ignored even when the model could read it).</summary>
    Photo,
    /// <summary>The photo and the product name.</summary>
    PhotoAndName,
}

public static class ModelInputs
{
    public const string Photo = "photo";
    public const string Name = "name";

    public static string Describe(InputMode mode) => mode == InputMode.Photo ? "photo" : "photo+name";

    public static InputMode Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "photo" => InputMode.Photo,
        "photo+name" or "photo,name" => InputMode.PhotoAndName,
        _ => throw new ArgumentException($"Unknown input '{text}' (photo | photo+name)."),
    };

    /// <summary>The modes a model with these options can be scored in, its full input last.</summary>
    public static IReadOnlyList<InputMode> ModesOf(ModelOptions options) =>
        options.ReadsName ? [InputMode.Photo, InputMode.PhotoAndName] : [InputMode.Photo];
}
