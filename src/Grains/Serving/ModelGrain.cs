using Enrichment.Grains.Placement;
using Enrichment.Abstractions;
using Enrichment.Grains.Diagnostics;
using Enrichment.Models;
using Enrichment.Persistence.Images;
using Orleans.Concurrency;

namespace Enrichment.Grains.Serving;

/// <summary>
/// Stateless front of the silo's <see cref="ModelHost"/>, the one way product grains reach a model. Keyed by silo
/// (<see cref="SiloKeyedPlacement"/>) so that work claimed on a silo is predicted there, from the photos that silo
/// fetched for it. Reentrant so that one activation can have many requests waiting in the batcher at once; it holds
/// no state between calls.
/// </summary>
[AcceleratorPlacementFilter]
[SiloKeyedPlacement]
[Reentrant]
public sealed class ModelGrain(ModelHost host, ClaimedPhotos claimed, IImageStore photos, EnrichmentMetrics metrics, ILocalSiloDetails silo) : Grain, IModelGrain
{
    public async Task<ModelResult> Predict(ImageRef image, string? name)
    {
        metrics.ModelGrainCall();
        var siloName = silo.SiloAddress.ToString();
        // Photos travel by reference: read here, on the model silo, from the batch the pump fetched or else the store.
        ImageBlob? blob;
        try
        {
            blob = claimed.Find(image.Sha256) ?? await photos.GetAsync(image.Sha256);
        }
        catch (PhotoCorruptException corrupt)
        {
            // A final answer, stored on the product: reading the same bytes again would fail the same way.
            return ModelResult.Failed(ModelResultStatus.BadImage, corrupt.Message, siloName);
        }
        if (blob is null)
        {
            return ModelResult.Failed(ModelResultStatus.BadImage, $"image {image.Sha256} is not in the image store", siloName);
        }
        return ToResult(await host.PredictAsync(new ModelRequest(blob.Bytes, name)), siloName);
    }

    /// <summary>How the engine's answer reads in the cluster's contract.</summary>
    private static ModelResult ToResult(ModelOutput output, string silo)
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
