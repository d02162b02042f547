using Enrichment.Abstractions;
using Enrichment.Models;
using Orleans.Concurrency;

namespace Enrichment.Grains.Serving;

/// <summary>
/// Stateless front of the silo's <see cref="ModelHost"/>. Reentrant so that one activation can have many
/// requests waiting in the batcher at once; it holds no state between calls.
/// </summary>
[AcceleratorPlacementFilter]
[Reentrant]
public sealed class ModelGrain(ModelHost host, ILocalSiloDetails silo) : Grain, IModelGrain
{
    public async Task<ModelResult> Predict(ImageRef image, string? name)
    {
        var siloName = silo.SiloAddress.ToString();
        // Images are fetched by reference here, on the model silo, rather than carried by every caller.
        var blob = await GrainFactory.GetGrain<IImageGrain>(image.Sha256).Get();
        if (blob is null)
        {
            return ModelResult.Failed(ModelResultStatus.BadImage, $"image {image.Sha256} is not in the image store", siloName);
        }
        return ToResult(await host.PredictAsync(new ModelRequest(blob.Bytes, name)), siloName);
    }

    /// <summary>
    /// How the engine's answer reads in the cluster's contract; the enrichment pump, which feeds the same engine
    /// without a grain call, answers products with the same mapping.
    /// </summary>
    public static ModelResult ToResult(ModelOutput output, string silo)
    {
        if (output.Prediction is not { } p)
        {
            return ModelResult.Failed(output.Status, output.Error ?? output.Status.ToString(), silo) with { ModelVersion = output.ModelVersion };
        }
        return new ModelResult
        {
            Status = ModelResultStatus.Ok,
            ModelVersion = output.ModelVersion,
            Caption = p.Caption,
            Silo = silo,
            Attributes = new()
            {
                [AttributeNames.Colour] = Predicted(AttributeNames.Colour, p.Colour, p.Input, output.AutoApply),
                [AttributeNames.Brand] = Predicted(AttributeNames.Brand, p.Brand, p.Input, output.AutoApply),
                [AttributeNames.Type] = Predicted(AttributeNames.Type, p.Type, p.Input, output.AutoApply),
            },
        };
    }

    private static PredictedAttribute Predicted(string attribute, AttributePrediction prediction, InputMode mode, IReadOnlyList<AutoApplyThreshold> thresholds)
    {
        var input = ModelInputs.Describe(mode);
        var threshold = AutoApplyRules.Find(thresholds, attribute, input);
        return new PredictedAttribute(prediction.Value, prediction.Confidence)
        {
            Input = input,
            AutoApplyThreshold = threshold?.Threshold,
            MeasuredPrecision = threshold?.Precision,
        };
    }
}
