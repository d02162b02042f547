using Enrichment.Abstractions;

namespace Enrichment.Grains.Products;

/// <summary>
/// Pools the model's answers for each of a product's photos into one answer for the product (pure).
/// <para>
/// Per attribute, a soft vote: each photo adds its confidence to the value it predicts, and the value with the highest
/// total wins, with that total divided by the number of readable photos as its confidence. Views of one product
/// share its colour, brand and type, so averaging the views' probabilities is the usual multi-view ensemble: agreeing
/// photos keep a value's confidence, a disagreeing one lowers it, and one odd view (a detail shot, a model's face)
/// cannot outvote the rest the way taking the most confident photo would. Only the top value of each photo reaches the
/// product grain, so the pooled confidence is a lower bound of the mean probability (a photo that voted for another
/// value counts 0), which keeps the auto-apply thresholds, measured on single photos, on the safe side.
/// </para>
/// The photo most confident in the winning value is named as the one that drove it; the caption is the primary's.
/// </summary>
public static class PhotoPooling
{
    public static PooledPrediction Pool(IReadOnlyList<ModelResult> perPhoto)
    {
        if (perPhoto.Count == 0)
        {
            throw new ArgumentException("at least one photo's answer is needed", nameof(perPhoto));
        }
        // "Try again later" from any photo holds the whole product back: a partial answer would be replaced anyway.
        if (perPhoto.FirstOrDefault(r => r.Status is not (ModelResultStatus.Ok or ModelResultStatus.BadImage)) is { } retry)
        {
            return new PooledPrediction(retry, 0, null);
        }
        var readable = perPhoto.Select((result, photo) => (result, photo)).Where(r => r.result.Status == ModelResultStatus.Ok).ToList();
        var unreadable = perPhoto.Select((result, photo) => (result, photo)).Where(r => r.result.Status == ModelResultStatus.BadImage).ToList();
        var problems = unreadable.Count == 0 ? null
            : string.Join("; ", unreadable.Select(u => perPhoto.Count == 1 ? u.result.Error : $"photo {u.photo + 1}: {u.result.Error}"));
        if (readable.Count == 0)
        {
            return new PooledPrediction(unreadable[0].result with { Error = problems }, 0, null);
        }
        // A hot swap between two photos' predictions: values of two versions must not be pooled as one.
        if (readable.Select(r => r.result.ModelVersion).Distinct().Count() > 1)
        {
            return new PooledPrediction(ModelResult.Failed(ModelResultStatus.Busy, "the model version changed while the photos were predicted"), 0, null);
        }
        var attributes = readable
            .SelectMany(r => r.result.Attributes.Select(a => (Attribute: a.Key, a.Value, r.photo)))
            .GroupBy(v => v.Attribute, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Vote(g.Select(v => (v.Value, v.photo)), readable.Count), StringComparer.Ordinal);
        var primary = readable[0].result;
        return new PooledPrediction(primary with { Attributes = attributes }, readable.Count, problems);
    }

    private static PredictedAttribute Vote(IEnumerable<(PredictedAttribute Prediction, int Photo)> votes, int photos)
    {
        var winner = votes
            .GroupBy(v => v.Prediction.Value, StringComparer.Ordinal)
            .Select(g => (Total: g.Sum(v => v.Prediction.Confidence), Best: g.MaxBy(v => v.Prediction.Confidence), First: g.Min(v => v.Photo)))
            // Equal totals: the value of the earlier photo (the primary first), so the answer does not depend on hashing.
            .OrderByDescending(g => g.Total).ThenBy(g => g.First)
            .First();
        return winner.Best.Prediction with
        {
            Confidence = Math.Min(1f, winner.Total / photos),
            Photo = winner.Best.Photo,
        };
    }
}

/// <summary>The product's pooled answer, how many photos it was pooled from, and which photos could not be read.</summary>
public sealed record PooledPrediction(ModelResult Result, int Photos, string? UnreadablePhotos);
