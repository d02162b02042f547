using Enrichment.Models;

namespace Enrichment.Models.Tests;

[Trait("Category", "Unit")]
public sealed class CatalogAndLabelTests
{
    [Fact]
    public void Reads_sample_catalogue()
    {
        var r = CatalogReader.Read(TestData.Styles, TestData.Images);
        Assert.Equal(400, r.Rows.Count);
        Assert.Equal(20, r.Rows.Select(x => x.ArticleType).Distinct().Count());
    }

    [Fact]
    public void Handles_quotes_extra_commas_malformed_rows_and_missing_images()
    {
        var csv = """
            id,masterCategory,subCategory,articleType,baseColour,usage,productDisplayName
            1,Apparel,Topwear,Tshirts,Navy Blue,Casual,"Nike Men, Navy ""Dri-FIT"" Tee"
            2,Apparel,Topwear,Shirts,White,Casual,Puma Men White, Slim Shirt
            notanid,Apparel,Topwear,Shirts,White,Casual,Broken
            3,Apparel
            4,Footwear,Shoes,Casual Shoes,Black,Casual,ADIDAS Men Black Shoes
            """;
        var r = CatalogReader.Read(new StringReader(csv));
        Assert.Equal(new[] { 1, 2, 4 }, r.Rows.Select(x => x.Id));
        Assert.Equal("Nike Men, Navy \"Dri-FIT\" Tee", r.Rows[0].DisplayName);
        Assert.Equal("Puma Men White, Slim Shirt", r.Rows[1].DisplayName);
        Assert.Equal(2, r.Malformed);

        var dir = Directory.CreateTempSubdirectory();
        try
        {
            File.WriteAllBytes(Path.Combine(dir.FullName, "4.jpg"), TestData.FirstJpeg());
            var withImages = CatalogReader.Read(new StringReader(csv), dir.FullName);
            Assert.Equal(new[] { 4 }, withImages.Rows.Select(x => x.Id));
            Assert.Equal(2, withImages.MissingImage);
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void Brand_rule_learns_multiword_brands_and_stops_at_gender_words()
    {
        var names = new List<string>();
        for (int i = 0; i < 30; i++)
        {
            names.Add($"United Colors of Benetton Men Shirt {i}");
            names.Add(i % 2 == 0 ? $"Nike Men Shoe {i}" : $"Nike Women Tee {i}");
            names.Add($"ADIDAS Unisex Cap {i}");
            names.Add(i % 3 == 0 ? $"Puma Running Shoe {i}" : $"Puma Casual Tee {i}");
        }
        names.Add("Rareco Men Shirt");
        var rule = BrandRule.Learn(names, minCount: 20, keepRatio: 0.9);
        Assert.Equal("United Colors of Benetton", rule.Extract("United Colors of Benetton Women Top"));
        Assert.Equal("Nike", rule.Extract("Nike Men Tee"));
        Assert.Equal("ADIDAS", rule.Extract("adidas Women Shoe"));
        Assert.Equal("Puma", rule.Extract("Puma Running Shoe 1")); // "Puma Running" covers only 1/3 of Puma rows
        Assert.Null(rule.Extract("Rareco Men Shirt"));
    }

    [Fact]
    public void Label_map_puts_rare_and_unknown_values_into_other()
    {
        var values = Enumerable.Repeat("Black", 10).Concat(Enumerable.Repeat("White", 5)).Append("Mauve");
        var map = LabelMap.Build("colour", values, minCount: 5);
        Assert.Equal(new[] { "other", "Black", "White" }, map.Classes);
        Assert.Equal(0, map.IndexOf("Mauve"));
        Assert.Equal(0, map.IndexOf(null));
        Assert.Equal(1, map.IndexOf("black"));
    }

    [Fact]
    public void Vocabulary_round_trips_and_marks_unknown_words()
    {
        var v = Vocabulary.Build(new[] { "Nike Men Shoe", "Nike Women Shoe", "Puma Men Tee" }, minCount: 2);
        Assert.Equal(Vocabulary.Specials, v.Tokens.Take(4));
        var ids = v.Encode("Nike Men Hat", 10);
        Assert.Equal(Vocabulary.Unknown, ids[2]);
        Assert.Equal("nike men <unk>", v.Decode(ids.Select(i => (long)i).Append(Vocabulary.End).Append(5)));
        Assert.Equal("nike men", v.Decode(ids.Select(i => (long)i), skipUnknown: true));
    }

    [Fact]
    public void Split_is_deterministic_disjoint_and_stratified()
    {
        var rows = TestData.Rows();
        var a = DatasetSplit.Create(rows, new SplitOptions(Seed: 7));
        var b = DatasetSplit.Create(rows.Reverse().ToList(), new SplitOptions(Seed: 7));
        Assert.Equal(a.Test.Select(r => r.Id), b.Test.Select(r => r.Id));
        var ids = a.Train.Concat(a.Valid).Concat(a.Test).Select(r => r.Id).ToList();
        Assert.Equal(rows.Count, ids.Distinct().Count());
        // 20 per type, 10 % each -> exactly 2 of every type in valid and test.
        Assert.All(a.Test.GroupBy(r => r.ArticleType), g => Assert.Equal(2, g.Count()));
        Assert.Equal(20, a.Valid.Select(r => r.ArticleType).Distinct().Count());
        var c = DatasetSplit.Create(rows, new SplitOptions(Seed: 8));
        Assert.NotEqual(a.Test.Select(r => r.Id), c.Test.Select(r => r.Id));
    }

    [Fact]
    public void Stratified_sampler_spreads_classes_and_tempers_the_tail()
    {
        var labels = Enumerable.Repeat(0, 900).Concat(Enumerable.Repeat(1, 100)).ToArray();
        var natural = new StratifiedSampler(labels, power: 1.0, seed: 1).EpochOrder(1);
        Assert.Equal(Enumerable.Range(0, 1000), natural.Order());
        // Every block of 100 holds ~10 rare items (proportional allocation), not a random clump.
        for (int s = 0; s < 1000; s += 100)
            Assert.InRange(natural.Skip(s).Take(100).Count(i => labels[i] == 1), 8, 12);
        var balanced = new StratifiedSampler(labels, power: 0.0, seed: 1).EpochOrder(1);
        Assert.InRange(balanced.Count(i => labels[i] == 1), 450, 550);
    }
}
