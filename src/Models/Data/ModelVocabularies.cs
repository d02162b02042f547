namespace Enrichment.Models;

/// <summary>Everything that maps catalogue text to model outputs: label maps, brand lexicon, caption words.</summary>
public sealed record ModelVocabularies(LabelMaps Labels, BrandRule Brands, Vocabulary Words)
{
    public sealed record BuildOptions(int MinTypeCount = 100, int MinColourCount = 100, int MinBrandCount = 100,
                                      int BrandLexiconMinCount = 20, double BrandKeepRatio = 0.9, int MinWordCount = 3);

    /// <summary>Learns everything from training rows only, so held-out rows never influence the label space.</summary>
    public static ModelVocabularies Build(IReadOnlyList<CatalogRow> trainRows, BuildOptions o)
    {
        var brands = BrandRule.Learn(trainRows.Select(r => r.DisplayName), o.BrandLexiconMinCount, o.BrandKeepRatio);
        var maps = new LabelMaps(
            Colour: LabelMap.Build("colour", trainRows.Select(r => r.BaseColour), o.MinColourCount),
            Brand: LabelMap.Build("brand", trainRows.Select(r => brands.Extract(r.DisplayName)), o.MinBrandCount),
            Type: LabelMap.Build("type", trainRows.Select(r => r.ArticleType), o.MinTypeCount));
        var words = Vocabulary.Build(trainRows.Select(r => r.DisplayName), o.MinWordCount);
        return new ModelVocabularies(maps, brands, words);
    }
}
