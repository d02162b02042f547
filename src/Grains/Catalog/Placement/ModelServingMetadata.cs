namespace Enrichment.Grains.Placement;

/// <summary>
/// Silo metadata of a silo built without model serving (a products-only silo): model placement never picks it (it
/// lacks the model grains' classes), and deployments and model status leave it out instead of calling a service it
/// does not run. Absent means the silo serves models, as every silo did before products-only builds.
/// </summary>
public static class ModelServingMetadata
{
    public const string Key = "models";

    public const string None = "none";
}
