using Enrichment.Abstractions;
using Enrichment.Persistence.Catalog;
using Enrichment.TestSupport;

namespace Enrichment.Persistence.Tests.Catalog;

/// <summary>The contract every <see cref="ICatalogReadModel"/> keeps, run against PostgreSQL and the in-memory read model alike.</summary>
public abstract class CatalogReadModelContract
{
    private StoreSet? _stores;

    protected abstract Task<StoreSet> NewStoresAsync();

    private async Task<ICatalogReadModel> NewReadModelAsync()
    {
        _stores = await NewStoresAsync();
        return _stores.ReadModel;
    }

    /// <summary>Rows are written only with their product: this stores the product behind <paramref name="view"/>.</summary>
    private Task StoreAsync(ProductView view) => _stores!.StoreAsync(view);

    internal static ProductView Product(string id, long version = 1, string name = "Plain product", Dictionary<string, string>? known = null,
        Dictionary<string, (string Value, float Confidence)>? predicted = null, string model = "v1", string? caption = null,
        EnrichmentStatus? status = null, bool photo = true) => new()
    {
        ProductId = id,
        Version = version,
        LastEventId = $"e-{id}-{version}",
        Name = name,
        Image = photo ? new ImageRef(new string('a', 64), 10, "image/jpeg") : null,
        KnownAttributes = known ?? new(),
        Enrichment = predicted is null ? null : new Enrichment.Abstractions.PredictedEnrichment
        {
            ModelVersion = model,
            Caption = caption,
            Attributes = predicted.ToDictionary(p => p.Key, p => new PredictedAttribute(p.Value.Value, p.Value.Confidence)),
        },
        EnrichmentStatus = status ?? (predicted is null ? EnrichmentStatus.Pending : EnrichmentStatus.Enriched),
    };

    private async Task ProjectAsync(ICatalogReadModel model, params ProductView[] products)
    {
        foreach (var p in products)
        {
            await StoreAsync(p);
        }
    }

    private static async Task<string[]> IdsAsync(ICatalogReadModel model, CatalogQuery query) =>
        (await model.SearchAsync(query with { Limit = CatalogQueryRules.MaxLimit })).Items.Select(p => p.ProductId).ToArray();

    private static CatalogQuery Where(string attribute, params string[] values) =>
        new() { Attributes = new() { [attribute] = values } };

    [Fact]
    public async Task Filters_on_different_attributes_all_apply_and_several_values_of_one_attribute_match_any()
    {
        var model = await NewReadModelAsync();
        await ProjectAsync(model,
            Product("a1", known: new() { ["colour"] = "Navy Blue", ["type"] = "Shirts" }),
            Product("a2", known: new() { ["colour"] = "Red", ["type"] = "Shirts" }),
            Product("a3", known: new() { ["colour"] = "Red", ["type"] = "Jeans" }),
            Product("a4", known: new() { ["colour"] = "Green", ["type"] = "Shirts" }));

        Assert.Equal(["a1", "a2"], await IdsAsync(model, new CatalogQuery
        {
            Attributes = new() { ["colour"] = [" navy  BLUE", "red"], ["type"] = ["shirts"] },
        }));
        Assert.Equal(["a2", "a3"], await IdsAsync(model, Where("colour", "Red")));
        Assert.Empty(await IdsAsync(model, Where("colour", "Purple")));
        Assert.Equal(["a1", "a2", "a3", "a4"], await IdsAsync(model, new CatalogQuery()));
    }

    [Fact]
    public async Task The_source_chooses_catalogue_predicted_or_effective_values_and_confidence_limits_predictions()
    {
        var model = await NewReadModelAsync();
        await ProjectAsync(model,
            // The catalogue says black; the model thinks blue (confidently).
            Product("b1", known: new() { ["colour"] = "Black" }, predicted: new() { ["colour"] = ("Blue", 0.9f) }),
            // Only a prediction, not confident.
            Product("b2", predicted: new() { ["colour"] = ("Blue", 0.4f) }),
            // The catch-all class is no value.
            Product("b3", predicted: new() { ["colour"] = (ProductView.OtherClass, 0.99f) }));

        Assert.Equal(["b2"], await IdsAsync(model, Where("colour", "blue")));
        Assert.Equal(["b1", "b2"], await IdsAsync(model, Where("colour", "blue") with { Source = AttributeSource.Predicted }));
        Assert.Equal(["b1"], await IdsAsync(model, Where("colour", "black") with { Source = AttributeSource.Catalogue }));
        Assert.Empty(await IdsAsync(model, Where("colour", "blue") with { Source = AttributeSource.Catalogue }));
        Assert.Equal(["b1"], await IdsAsync(model, Where("colour", "blue") with { Source = AttributeSource.Predicted, MinConfidence = 0.8f }));
        Assert.Empty(await IdsAsync(model, Where("colour", "blue") with { MinConfidence = 0.8f }));
        // Catalogue values are certain: the limit does not hide them.
        Assert.Equal(["b1"], await IdsAsync(model, Where("colour", "black") with { MinConfidence = 0.8f }));
        Assert.Empty(await IdsAsync(model, Where("colour", ProductView.OtherClass) with { Source = AttributeSource.Predicted }));
        // No attribute filter: the least confident prediction must reach the limit.
        Assert.Equal(["b1", "b3"], await IdsAsync(model, new CatalogQuery { MinConfidence = 0.8f }));
    }

    [Fact]
    public async Task A_prediction_exactly_at_the_confidence_limit_counts_in_every_read_model()
    {
        var model = await NewReadModelAsync();
        // 0.75 is exact in both float and PostgreSQL's real: "at the limit" means the same number on both sides.
        await ProjectAsync(model,
            Product("t1", predicted: new() { ["colour"] = ("Blue", 0.75f) }),
            Product("t2", predicted: new() { ["colour"] = ("Blue", 0.74f) }));

        Assert.Equal(["t1"], await IdsAsync(model, Where("colour", "blue") with { MinConfidence = 0.75f }));
        Assert.Equal(["t1"], await IdsAsync(model, Where("colour", "blue") with { Source = AttributeSource.Predicted, MinConfidence = 0.75f }));
        Assert.Equal(["t1"], await IdsAsync(model, new CatalogQuery { MinConfidence = 0.75f }));
        var facets = (await model.SearchAsync(new CatalogQuery { MinConfidence = 0.75f, IncludeFacets = true })).Facets!;
        Assert.Equal([("Blue", 1L)], facets.Single(f => f.Attribute == "colour").Values.Select(v => (v.Value, v.Count)));
    }

    [Fact]
    public async Task Status_model_version_and_words_of_name_or_caption_narrow_the_result()
    {
        var model = await NewReadModelAsync();
        await ProjectAsync(model,
            Product("c1", name: "Men Navy Slim-Fit Shirt", predicted: new() { ["type"] = ("Shirts", 0.9f) }, model: "v1", caption: "a blue cotton shirt"),
            Product("c2", name: "Women Leather Handbag", predicted: new() { ["type"] = ("Handbags", 0.9f) }, model: "v2", caption: "a brown bag"),
            Product("c3", name: "Men Cotton Socks"),
            Product("c4", name: "Unreadable photo", status: EnrichmentStatus.ImageUnreadable));

        Assert.Equal(["c3"], await IdsAsync(model, new CatalogQuery { Status = EnrichmentStatus.Pending }));
        Assert.Equal(["c4"], await IdsAsync(model, new CatalogQuery { Status = EnrichmentStatus.ImageUnreadable }));
        Assert.Equal(["c2"], await IdsAsync(model, new CatalogQuery { ModelVersion = "v2" }));
        Assert.Equal(["c1", "c3"], await IdsAsync(model, new CatalogQuery { Text = "COTTON" }));
        Assert.Equal(["c1"], await IdsAsync(model, new CatalogQuery { Text = "men cotton shirt" }));
        Assert.Equal(["c1"], await IdsAsync(model, new CatalogQuery { Text = "slim fit" }));
        Assert.Equal(["c2"], await IdsAsync(model, new CatalogQuery { Text = "brown", Status = EnrichmentStatus.Enriched }));
        Assert.Empty(await IdsAsync(model, new CatalogQuery { Text = "cott" }));
    }

    [Fact]
    public async Task Provenance_filters_by_kind_or_attribute_and_is_recomputed_from_each_projection()
    {
        var model = await NewReadModelAsync();
        ProductView WithColour(string id, float confidence, double? threshold, Dictionary<string, string>? known = null) =>
            Product(id, known: known, predicted: new() { ["colour"] = ("Black", confidence) }) is var p
                ? p with { Enrichment = p.Enrichment! with { Attributes = new() { ["colour"] = new PredictedAttribute("Black", confidence) { AutoApplyThreshold = threshold } } } }
                : p;
        await ProjectAsync(model,
            WithColour("p1", 0.99f, 0.95),                                         // auto
            WithColour("p2", 0.95f, 0.95),                                         // auto: at the threshold counts
            WithColour("p3", 0.90f, 0.95),                                         // suggested
            WithColour("p4", 0.99f, null),                                         // suggested: the version has no threshold
            WithColour("p5", 0.99f, 0.95, known: new() { ["colour"] = "White" })); // the catalogue's value stands

        Assert.Equal(["p1", "p2"], await IdsAsync(model, new CatalogQuery { Provenance = ["colour:auto"] }));
        Assert.Equal(["p1", "p2"], await IdsAsync(model, new CatalogQuery { Provenance = ["AUTO"] }));
        Assert.Equal(["p3", "p4"], await IdsAsync(model, new CatalogQuery { Provenance = ["suggested"] }));
        Assert.Equal(["p3", "p4", "p5"], await IdsAsync(model, new CatalogQuery { Provenance = ["colour:suggested", "catalogue"] }));
        var facets = (await model.SearchAsync(new CatalogQuery { IncludeFacets = true })).Facets!.Single(f => f.Attribute == ProvenanceFacet.Name).Values;
        Assert.Contains(facets, v => v.Value == "colour:auto" && v.Count == 2);

        // A new projection re-judges: p3 re-enriched by a version whose threshold it reaches.
        await StoreAsync(WithColour("p3", 0.90f, 0.85) with { Version = 2 });
        Assert.Equal(["p1", "p2", "p3"], await IdsAsync(model, new CatalogQuery { Provenance = ["colour:auto"] }));
    }

    [Fact]
    public async Task Facets_count_each_attributes_values_among_the_matches_most_frequent_first()
    {
        var model = await NewReadModelAsync();
        var products = new List<ProductView>();
        for (var i = 0; i < 30; i++)
        {
            var colour = i < 15 ? "Black" : i < 25 ? "White" : $"Rare{i}";
            products.Add(Product($"f{i:D2}", known: new() { ["colour"] = colour, ["category"] = i % 3 == 0 ? "Footwear" : "Apparel" },
                predicted: new() { ["type"] = (i % 2 == 0 ? "Shirts" : "Jeans", 0.5f + i / 100f) }));
        }
        await ProjectAsync(model, products.ToArray());

        var page = await model.SearchAsync(Where("category", "Apparel") with { IncludeFacets = true, Limit = 1 });
        Assert.Equal(20, page.Total);
        var facets = page.Facets!.ToDictionary(f => f.Attribute, f => f.Values.Select(v => (v.Value, v.Count)).ToArray());
        Assert.Equal(AttributeNames.Searchable.Append(ProvenanceFacet.Name).Order(), facets.Keys.Order());
        Assert.Equal([("Apparel", 20L)], facets["category"]);
        // Provenance: catalogue colours and categories, predicted types without thresholds are suggestions.
        Assert.Equal([("catalogue", 20L), ("category:catalogue", 20L), ("colour:catalogue", 20L), ("suggested", 20L), ("type:suggested", 20L)],
            facets[ProvenanceFacet.Name].OrderBy(v => v.Value, StringComparer.Ordinal));
        Assert.Equal(("Black", 10L), facets["colour"][0]);
        Assert.Equal(("White", 6L), facets["colour"][1]);
        Assert.Equal(20, facets["colour"].Sum(v => v.Count));
        Assert.Equal(20, facets["type"].Sum(v => v.Count));
        Assert.Empty(facets["usage"]);

        // Facets follow the source and the confidence limit.
        var confident = await model.SearchAsync(new CatalogQuery { Source = AttributeSource.Predicted, MinConfidence = 0.695f, IncludeFacets = true });
        var types = confident.Facets!.Single(f => f.Attribute == "type").Values;
        Assert.Equal(10, types.Sum(v => v.Count));
        Assert.Empty(confident.Facets!.Single(f => f.Attribute == "colour").Values);

        // A facet lists at most the most frequent values, whatever the catalogue holds.
        var many = Enumerable.Range(0, CatalogQueryRules.MaxFacetValues + 5)
            .Select(i => Product($"m{i:D2}", known: new() { ["brand"] = $"Brand{i:D2}" })).ToArray();
        await ProjectAsync(model, many);
        var brands = (await model.SearchAsync(new CatalogQuery { IncludeFacets = true })).Facets!.Single(f => f.Attribute == "brand");
        Assert.Equal(CatalogQueryRules.MaxFacetValues, brands.Values.Length);
    }

    [Fact]
    public async Task Facets_show_the_catalogues_spelling_counted_once_per_value_however_products_spell_it()
    {
        var model = await NewReadModelAsync();
        await ProjectAsync(model,
            Product("s1", known: new() { ["colour"] = "Navy Blue", ["brand"] = "Q&Q" }),
            Product("s2", known: new() { ["colour"] = "navy  blue", ["brand"] = "q&q" }),
            Product("s3", known: new() { ["colour"] = " NAVY BLUE", ["brand"] = "Cr\u00E8me" }),
            // Only the model's value, spelled as its vocabulary spells it: counted with the catalogue's.
            Product("s4", predicted: new() { ["colour"] = ("navy blue", 0.9f) }),
            Product("s5", known: new() { ["brand"] = "CRE\u0300ME" }),
            // A product's catalogue spelling comes before its prediction's.
            Product("s6", known: new() { ["colour"] = "Off White" }, predicted: new() { ["colour"] = ("OFF WHITE", 0.9f) }));

        async Task<(string Value, long Count)[]> FacetAsync(string attribute, CatalogQuery? query = null) =>
            (await model.SearchAsync((query ?? new CatalogQuery()) with { IncludeFacets = true })).Facets!
                .Single(f => f.Attribute == attribute).Values.Select(v => (v.Value, v.Count)).ToArray();

        Assert.Equal([("Navy Blue", 4L), ("Off White", 1L)], await FacetAsync("colour"));
        Assert.Equal([("Cr\u00E8me", 2L), ("Q&Q", 2L)], await FacetAsync("brand"));
        Assert.Equal([("Navy Blue", 1L), ("Off White", 1L)], await FacetAsync("colour", new CatalogQuery { Source = AttributeSource.Predicted }));

        // A later spelling neither replaces the first nor splits the count.
        await ProjectAsync(model, Product("s7", known: new() { ["colour"] = "NaVy BlUe" }));
        Assert.Equal([("Navy Blue", 5L), ("Off White", 1L)], await FacetAsync("colour"));

        // A facet's value sent back as a filter finds what it counted; two of them, the sum of their counts.
        Assert.Equal(["s1", "s2", "s3", "s4", "s7"], await IdsAsync(model, Where("colour", "Navy Blue")));
        Assert.Equal(6, (await model.SearchAsync(Where("colour", "Navy Blue", "Off White"))).Total);
        Assert.Equal([("Q&Q", 2L)], await FacetAsync("brand", Where("brand", "Q&Q")));
    }

    [Fact]
    public async Task Cursor_paging_visits_every_match_once_in_id_order_while_products_change()
    {
        var model = await NewReadModelAsync();
        const int count = 3000;
        var ids = Enumerable.Range(0, count).Select(i => $"p{i:D5}").ToArray();
        foreach (var chunk in ids.Chunk(100))
        {
            await Task.WhenAll(chunk.Select(id => StoreAsync(Product(id, known: new() { ["category"] = "Apparel", ["colour"] = "Black" }))));
        }

        // A writer keeps changing products (new versions, new non-filtered values) while a reader pages through.
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var revision = 2L;
            while (!stop.IsCancellationRequested)
            {
                foreach (var id in ids.Where((_, i) => i % 7 == (int)(revision % 7)).Take(50))
                {
                    await StoreAsync(Product(id, revision, known: new() { ["category"] = "Apparel", ["colour"] = $"Shade{revision}" }));
                }
                revision++;
            }
        });

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await model.SearchAsync(Where("category", "apparel") with { After = cursor, Limit = 97, IncludeTotal = pages == 0 });
            seen.AddRange(page.Items.Select(p => p.ProductId));
            // Bounded: a cursor that hands out pages again must fail here, not hang the run.
            Assert.True(seen.Count <= count, $"paging returned {seen.Count} products of {count}");
            cursor = page.NextCursor;
            pages++;
        } while (cursor is not null);
        await stop.CancelAsync();
        await writer;

        Assert.Equal(ids, seen);
        Assert.Equal((int)Math.Ceiling(count / 97.0), pages);
    }

    private static ProductView Reviewed(ProductView product, string attribute, string value) => product with
    {
        KnownAttributes = new(product.KnownAttributes) { [attribute] = value },
        Reviews = new() { [attribute] = new AttributeReview { Value = value, By = "tester", At = DateTimeOffset.UnixEpoch } },
    };

    private static async Task<string[]> QueueAsync(ICatalogReadModel model, ReviewQuery query)
    {
        var ids = new List<string>();
        for (string? after = null; ;)
        {
            var page = await model.ReviewAsync(query with { After = after, Limit = 2 });
            ids.AddRange(page.Items.Select(p => p.ProductId));
            // Bounded: these queues hold a handful of products; a cursor that never runs out must fail, not hang.
            Assert.True(ids.Count <= 1000, $"the review queue did not end after {ids.Count} products");
            if ((after = page.NextCursor) is null) return ids.ToArray();
        }
    }

    [Fact]
    public async Task Review_queues_list_confident_disagreements_and_unsure_predictions_in_confidence_order_without_reviewed_ones()
    {
        var model = await NewReadModelAsync();
        await ProjectAsync(model,
            Product("r1", known: new() { ["colour"] = "Red" }, predicted: new() { ["colour"] = ("Blue", 0.95f) }),
            Product("r2", known: new() { ["colour"] = "Red" }, predicted: new() { ["colour"] = ("Green", 0.85f) }),
            Product("r3", known: new() { ["colour"] = "Red" }, predicted: new() { ["colour"] = ("red", 0.99f) }),   // agrees
            Product("r4", known: new() { ["colour"] = "Red" }, predicted: new() { ["colour"] = ("Blue", 0.40f) }),  // unsure
            Product("r5", predicted: new() { ["colour"] = ("Blue", 0.10f) }),                                       // nothing to disagree with
            Product("r6", known: new() { ["colour"] = "Red" }, predicted: new() { ["colour"] = ("other", 0.99f) }), // no value
            Product("r7", predicted: new() { ["colour"] = ("Blue", 0.40f) }),
            Reviewed(Product("r8", known: new() { ["colour"] = "Red" }, predicted: new() { ["colour"] = ("Blue", 0.97f) }), "colour", "Red"),
            // Training learns only from labelled products (photo, type and colour): a reviewed one without a type is not.
            Reviewed(Product("r9", known: new() { ["colour"] = "Red", ["type"] = "Shirts" }, predicted: new() { ["colour"] = ("Blue", 0.97f) }), "colour", "Red"));

        Assert.Equal(["r1", "r2"], await QueueAsync(model, new ReviewQuery { Kind = ReviewKind.Disagreement, Attribute = "colour", Threshold = 0.8f }));
        Assert.Equal(["r1"], await QueueAsync(model, new ReviewQuery { Kind = ReviewKind.Disagreement, Attribute = "colour", Threshold = 0.9f }));
        Assert.Equal(["r5", "r4", "r7"], await QueueAsync(model, new ReviewQuery { Kind = ReviewKind.LowConfidence, Attribute = "colour", Threshold = 0.5f }));
        Assert.Empty(await QueueAsync(model, new ReviewQuery { Kind = ReviewKind.LowConfidence, Attribute = "type", Threshold = 0.5f }));
        Assert.Equal([new ReviewedProduct("r8", Labelled: false), new ReviewedProduct("r9", Labelled: true)], await model.ListReviewedAsync(null, 10));
        Assert.Equal([new ReviewedProduct("r9", Labelled: true)], await model.ListReviewedAsync("r8", 10));
        Assert.Empty(await model.ListReviewedAsync("r9", 10));

        // Each queue says how long it is, whichever page is read.
        var disagreements = await model.ReviewAsync(new ReviewQuery { Kind = ReviewKind.Disagreement, Attribute = "colour", Threshold = 0.8f, Limit = 1 });
        Assert.Equal((2L, false), (disagreements.Total, disagreements.TotalCapped));
        var secondPage = await model.ReviewAsync(new ReviewQuery { Kind = ReviewKind.LowConfidence, Attribute = "colour", Threshold = 0.5f, Limit = 1,
            After = (await model.ReviewAsync(new ReviewQuery { Kind = ReviewKind.LowConfidence, Attribute = "colour", Threshold = 0.5f, Limit = 1 })).NextCursor });
        Assert.Equal(3L, secondPage.Total);

        // Search filters on whether a product carries a review, alone and with other filters.
        Assert.Equal(["r8", "r9"], await IdsAsync(model, new CatalogQuery { Reviewed = true }));
        Assert.Equal(["r1", "r2", "r3", "r4", "r5", "r6", "r7"], await IdsAsync(model, new CatalogQuery { Reviewed = false }));
        Assert.Equal(["r9"], await IdsAsync(model, Where("type", "shirts") with { Reviewed = true }));
        Assert.Equal(2L, (await model.SearchAsync(new CatalogQuery { Reviewed = true })).Total);
    }

    [Fact]
    public async Task A_known_value_is_found_in_the_catalogues_spelling_and_a_value_no_product_has_is_not()
    {
        var model = await NewReadModelAsync();
        await ProjectAsync(model,
            Product("k1", known: new() { ["colour"] = "Navy Blue" }),
            Product("k2", known: new() { ["brand"] = "Q&Q" }, predicted: new() { ["colour"] = ("Teal", 0.9f) }));

        Assert.Equal("Navy Blue", await model.KnownValueAsync("colour", "navy  BLUE"));
        Assert.Equal("Q&Q", await model.KnownValueAsync("brand", "q&q"));
        // Only the catalogue's values count: a prediction is not a known value, nor is another attribute's.
        Assert.Null(await model.KnownValueAsync("colour", "Teal"));
        Assert.Null(await model.KnownValueAsync("type", "Navy Blue"));
        Assert.Null(await model.KnownValueAsync("colour", "Balck"));
    }

    [Fact]
    public async Task Labelled_products_are_listed_in_id_order_a_page_at_a_time()
    {
        var model = await NewReadModelAsync();
        await ProjectAsync(model,
            Product("l3", known: new() { ["type"] = "Shirts", ["colour"] = "Red" }),
            Product("l1", known: new() { ["type"] = "Shirts", ["colour"] = "Blue" }),
            Product("l2", known: new() { ["type"] = "Shirts" }),
            Product("l4", known: new() { ["type"] = "Shirts", ["colour"] = "Red" }, photo: false),
            Product("l5", known: new() { ["type"] = "Jeans", ["colour"] = "Blue" }, predicted: new() { ["colour"] = ("Red", 0.9f) }));

        var first = await model.ListLabelledAsync(null, 2);
        var second = await model.ListLabelledAsync(first[^1].ProductId, 2);
        Assert.Equal(["l1", "l3"], first.Select(p => p.ProductId));
        Assert.Equal(["l5"], second.Select(p => p.ProductId));
        Assert.Equal("Blue", second[0].KnownAttributes["colour"]);
    }

    [Theory]
    [InlineData("not a cursor!")]
    [InlineData("")]
    public async Task A_cursor_the_api_did_not_issue_is_refused(string cursor)
    {
        var model = await NewReadModelAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => model.SearchAsync(new CatalogQuery { After = cursor }));
    }

    [Fact]
    public async Task Products_are_counted_and_listed_by_the_model_version_whose_predictions_they_carry()
    {
        var model = await NewReadModelAsync();
        var colour = new Dictionary<string, (string, float)> { ["colour"] = ("Red", 0.9f) };
        await ProjectAsync(model,
            Product("m1", predicted: colour, model: "old"),
            Product("m2", predicted: colour, model: "new"),
            Product("m3", predicted: colour, model: "old"),
            Product("m4"),
            Product("m5", predicted: colour, model: "old"));

        Assert.Equal(new Dictionary<string, long> { ["old"] = 3, ["new"] = 1 }, await model.CountByModelVersionAsync());
        var first = await model.ListByModelVersionAsync("old", null, 2);
        Assert.Equal(["m1", "m3"], first);
        Assert.Equal(["m5"], await model.ListByModelVersionAsync("old", first[^1], 2));
        Assert.Empty(await model.ListByModelVersionAsync("gone", null, 2));

        // Re-enriched by the new version, a product moves over: the counts follow the stored product.
        await StoreAsync(Product("m3", version: 2, predicted: colour, model: "new"));
        Assert.Equal(new Dictionary<string, long> { ["old"] = 2, ["new"] = 2 }, await model.CountByModelVersionAsync());
        Assert.Equal(["m1", "m5"], await model.ListByModelVersionAsync("old", null, 10));
    }

    [Fact]
    public async Task The_stored_view_comes_back_whole()
    {
        var model = await NewReadModelAsync();
        var product = Product("v1", name: "Wörd ünïcode", known: new() { ["colour"] = "Navy Blue" },
            predicted: new() { ["type"] = ("Shirts", 0.75f) }, caption: "a caption");
        await StoreAsync(product);

        var stored = Assert.Single((await model.SearchAsync(new CatalogQuery { Text = "wörd" })).Items);
        Assert.Equal(product.Name, stored.Name);
        Assert.Equal(product.Image, stored.Image);
        Assert.Equal("Navy Blue", stored.KnownAttributes["colour"]);
        Assert.Equal(0.75f, stored.Enrichment!.Attributes["type"].Confidence);
        Assert.Equal(EnrichmentStatus.Enriched, stored.EnrichmentStatus);
    }

    protected static readonly DateTimeOffset Noon = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Ties on every key: three names that differ only in case, two equal confidences, three products without
    /// predictions, two change times equal to the microsecond (PostgreSQL's precision) whose ticks order the other way
    /// round than their ids, and a name after 'z' in code point order.
    /// </summary>
    private async Task<ICatalogReadModel> SortableCatalogueAsync()
    {
        var model = await NewReadModelAsync();
        (string Value, float Confidence) Sure(float c) => ("Red", c);
        await ProjectAsync(model,
            Product("a1", name: "Shirt", predicted: new() { ["colour"] = Sure(0.5f) }) with { UpdatedAt = Noon.AddSeconds(2) },
            Product("a2", name: "apple") with { UpdatedAt = Noon.AddSeconds(1) },
            Product("a3", name: "shirt", predicted: new() { ["colour"] = Sure(0.95f), ["type"] = ("Shirts", 0.9f) }) with { UpdatedAt = Noon.AddSeconds(2) },
            Product("a4", name: "Zebra", predicted: new() { ["colour"] = Sure(0.5f) }) with { UpdatedAt = Noon.AddSeconds(3) },
            Product("a5", name: "\u00c9clair") with { UpdatedAt = Noon.AddTicks(5) },
            Product("a6", name: "banana", predicted: new() { ["colour"] = Sure(0.2f) }) with { UpdatedAt = Noon.AddTicks(1) },
            Product("a7", name: "SHIRT") with { UpdatedAt = Noon.AddSeconds(4) });
        return model;
    }

    /// <summary>Every page of <paramref name="query"/>, <paramref name="limit"/> at a time, with <paramref name="between"/> run after each page.</summary>
    protected static async Task<List<string>> WalkAsync(ICatalogReadModel model, CatalogQuery query, int limit, Func<int, Task>? between = null)
    {
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await model.SearchAsync(query with { After = cursor, Limit = limit });
            seen.AddRange(page.Items.Select(p => p.ProductId));
            // Bounded: a cursor that hands out pages again must fail here, not hang the run.
            Assert.True(seen.Count <= 100, $"paging did not end after {seen.Count} products: {string.Join(",", seen)}");
            cursor = page.NextCursor;
            if (between is not null) await between(++pages);
        } while (cursor is not null);
        return seen;
    }

    [Theory]
    [InlineData(CatalogSort.Id, false, "a1,a2,a3,a4,a5,a6,a7")]
    [InlineData(CatalogSort.Id, true, "a7,a6,a5,a4,a3,a2,a1")]
    [InlineData(CatalogSort.Name, false, "a2,a6,a1,a3,a7,a4,a5")]
    [InlineData(CatalogSort.Name, true, "a5,a4,a7,a3,a1,a6,a2")]
    [InlineData(CatalogSort.Confidence, false, "a6,a1,a4,a3,a2,a5,a7")]
    [InlineData(CatalogSort.Confidence, true, "a3,a4,a1,a6,a7,a5,a2")]
    [InlineData(CatalogSort.Updated, false, "a5,a6,a2,a1,a3,a4,a7")]
    [InlineData(CatalogSort.Updated, true, "a7,a4,a3,a1,a2,a6,a5")]
    public async Task Every_sort_walks_all_pages_seeing_each_product_once_in_order_with_ties_broken_by_id(CatalogSort sort, bool descending, string expected)
    {
        var model = await SortableCatalogueAsync();
        var query = new CatalogQuery { Sort = sort, Descending = descending };

        foreach (var limit in new[] { 1, 2, 3, 7 })
        {
            Assert.Equal(expected.Split(','), await WalkAsync(model, query, limit));
        }
        // Filters narrow a sorted search like any other: the Enriched ones keep their places.
        var enriched = expected.Split(',').Where(id => id is "a1" or "a3" or "a4" or "a6");
        Assert.Equal(enriched, await WalkAsync(model, query with { Status = EnrichmentStatus.Enriched }, 2));
    }

    [Fact]
    public async Task Names_sort_by_code_point_in_both_read_models_even_beyond_the_basic_plane()
    {
        var model = await NewReadModelAsync();
        // U+1F600 comes after U+FF01 by code point (PostgreSQL's "C" order), though its UTF-16 surrogate comes before.
        await ProjectAsync(model, Product("e1", name: "\U0001F600 smile"), Product("e2", name: "\uFF01 bang"), Product("e3", name: "plain"));

        Assert.Equal(["e3", "e2", "e1"], await WalkAsync(model, new CatalogQuery { Sort = CatalogSort.Name }, 1));
        Assert.Equal(["e1", "e2", "e3"], await WalkAsync(model, new CatalogQuery { Sort = CatalogSort.Name, Descending = true }, 2));
    }

    [Fact]
    public async Task A_product_changing_between_pages_of_newest_first_does_not_repeat_or_drop_the_unchanged_ones()
    {
        var model = await NewReadModelAsync();
        await ProjectAsync(model, Enumerable.Range(1, 6).Select(i => Product($"u{i}") with { UpdatedAt = Noon.AddSeconds(i) }).ToArray());

        var seen = await WalkAsync(model, new CatalogQuery { Sort = CatalogSort.Updated, Descending = true }, 2, async page =>
        {
            if (page != 1) return;
            // One already listed and one not yet listed change: both move before the cursor.
            await StoreAsync(Product("u5", version: 2) with { UpdatedAt = Noon.AddSeconds(10) });
            await StoreAsync(Product("u2", version: 2) with { UpdatedAt = Noon.AddSeconds(11) });
        });

        Assert.Equal(["u6", "u5", "u4", "u3", "u1"], seen);
    }

    [Fact]
    public async Task A_renamed_product_moves_in_the_name_order_and_the_others_are_listed_once()
    {
        var model = await NewReadModelAsync();
        await ProjectAsync(model, Product("n1", name: "b"), Product("n2", name: "d"), Product("n3", name: "f"), Product("n4", name: "h"), Product("n5", name: "j"));

        var seen = await WalkAsync(model, new CatalogQuery { Sort = CatalogSort.Name }, 2, async page =>
        {
            if (page != 1) return;
            await StoreAsync(Product("n4", version: 2, name: "a"));
            await StoreAsync(Product("n1", version: 2, name: "z"));
        });

        Assert.Equal(["n1", "n2", "n3", "n5", "n1"], seen);
    }

    [Fact]
    public async Task A_cursor_of_another_sort_or_direction_is_refused_not_followed()
    {
        var model = await SortableCatalogueAsync();
        var byName = (await model.SearchAsync(new CatalogQuery { Sort = CatalogSort.Name, Limit = 2 })).NextCursor;
        var byId = (await model.SearchAsync(new CatalogQuery { Limit = 2 })).NextCursor;

        foreach (var (cursor, query) in new[]
                 {
                     (byName, new CatalogQuery { Sort = CatalogSort.Name, Descending = true }),
                     (byName, new CatalogQuery { Sort = CatalogSort.Confidence }),
                     (byName, new CatalogQuery()),
                     (byId, new CatalogQuery { Sort = CatalogSort.Updated }),
                     (byId, new CatalogQuery { Descending = true }),
                 })
        {
            var refused = await Assert.ThrowsAsync<ArgumentException>(() => model.SearchAsync(query with { After = cursor }));
            Assert.Contains("cursor belongs to another sort", refused.Message);
        }
    }
}

[Trait("Category", "Unit")]
public sealed class InMemoryCatalogReadModelTests : CatalogReadModelContract
{
    protected override Task<StoreSet> NewStoresAsync() => Task.FromResult(StoreSet.InMemory());
}

[Collection(PostgresCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresCatalogReadModelTests(PostgresFixture fixture) : CatalogReadModelContract
{
    protected override async Task<StoreSet> NewStoresAsync() => StoreSet.Postgres(await fixture.NewDataSourceAsync("catalog"));

    [Theory]
    [InlineData(CatalogSort.Name, false, "catalog_products_sort_name")]
    [InlineData(CatalogSort.Name, true, "catalog_products_sort_name")]
    [InlineData(CatalogSort.Confidence, false, "catalog_products_confidence_up")]
    [InlineData(CatalogSort.Confidence, true, "catalog_products_confidence_down")]
    [InlineData(CatalogSort.Updated, false, "catalog_products_updated_at")]
    [InlineData(CatalogSort.Updated, true, "catalog_products_updated_at")]
    public async Task Every_sorts_page_after_a_cursor_is_a_range_of_an_index_not_a_sort(CatalogSort sort, bool descending, string index)
    {
        var source = await fixture.NewDataSourceAsync("catalog_sort_plan");
        var query = new CatalogQuery { Sort = sort, Descending = descending };
        var cursor = SearchOrder.KeyOf(query, Product("c1", name: "middle") with { UpdatedAt = DateTimeOffset.UnixEpoch.AddDays(1) }, 0.5f);
        await using var connection = await source.OpenConnectionAsync();
        // With sorting priced out, a plan still sorts only where no index gives the order (or the planner cannot match it).
        await using (var off = new Npgsql.NpgsqlCommand("SET enable_sort = off; SET enable_seqscan = off", connection))
        {
            await off.ExecuteNonQueryAsync();
        }
        await using var page = new CatalogSql(query).Page(cursor, 21);
        page.CommandText = "EXPLAIN " + page.CommandText;
        page.Connection = connection;
        var plan = new List<string>();
        await using (var reader = await page.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
        }

        var text = string.Join("\n", plan);
        Assert.DoesNotContain("Sort", text);
        Assert.Contains($"Index Scan{(descending ? " Backward" : "")} using {index}", text);
        // The cursor bounds the scan (page 1,000 starts where page 999 stopped) instead of filtering rows read from the start.
        Assert.Contains("Index Cond", text);
    }

    [Fact]
    public async Task Rows_stored_before_the_sort_columns_existed_get_their_keys_from_the_scripts_backfill()
    {
        var source = await fixture.NewDataSourceAsync("catalog_sort_backfill");
        var stores = StoreSet.Postgres(source);
        await stores.StoreAsync(Product("b1", name: "Zebra", predicted: new() { ["colour"] = ("Red", 0.3f) }) with { UpdatedAt = Noon.AddSeconds(1) });
        await stores.StoreAsync(Product("b2", name: "apple") with { UpdatedAt = Noon.AddSeconds(3) });
        await stores.StoreAsync(Product("b3", name: "Mango", predicted: new() { ["colour"] = ("Red", 0.8f) }) with { UpdatedAt = Noon.AddSeconds(2) });
        var script = SchemaScript.LoadAll().Single(s => s.Name == "Enrichment-SearchOrder.sql");
        // The table as it was before the script (dropping the columns drops their indexes), then the script itself.
        await using (var rewind = source.CreateCommand("""
            ALTER TABLE catalog_products DROP COLUMN sort_name, DROP COLUMN updated_at;
            DROP INDEX catalog_products_confidence_up, catalog_products_confidence_down
            """))
        {
            await rewind.ExecuteNonQueryAsync();
        }
        await using (var apply = source.CreateCommand(script.Sql))
        {
            await apply.ExecuteNonQueryAsync();
        }

        var model = new PostgresCatalogReadModel(source);
        async Task<string> Order(CatalogSort sort, bool descending = false) =>
            string.Join(",", (await WalkAsync(model, new CatalogQuery { Sort = sort, Descending = descending }, 1)));
        Assert.Equal("b2,b3,b1", await Order(CatalogSort.Name));
        Assert.Equal("b2,b3,b1", await Order(CatalogSort.Updated, descending: true));
        Assert.Equal("b1,b3,b2", await Order(CatalogSort.Confidence));
    }

    [Fact]
    public async Task Rows_stored_before_the_spelling_map_get_their_spellings_from_its_backfill_the_catalogues_first()
    {
        var source = await fixture.NewDataSourceAsync("catalog_spelling_backfill");
        var products = new PostgresProductStore(source);
        foreach (var product in new[]
        {
            Product("b1", predicted: new() { ["colour"] = ("NAVY BLUE", 0.9f) }),
            Product("b2", known: new() { ["colour"] = "Navy Blue", ["brand"] = "Q&Q" }),
            Product("b3", known: new() { ["colour"] = "navy blue", ["brand"] = "q&q" }),
        })
        {
            await products.WriteAsync(new ProductWrite(TestProducts.From(product), ExpectedRevision: 0));
        }
        // The database as it was before Enrichment-Spellings.sql: the schema step runs again on the next start.
        await using (var before = source.CreateCommand(
            "DROP TABLE catalog_spellings; DELETE FROM enrichment_schema_version WHERE script_name = 'Enrichment-Spellings.sql'"))
        {
            await before.ExecuteNonQueryAsync();
        }

        await PostgresSchema.ApplyAsync(source.ConnectionString);

        var facets = (await new PostgresCatalogReadModel(source).SearchAsync(new CatalogQuery { IncludeFacets = true })).Facets!
            .ToDictionary(f => f.Attribute, f => f.Values.Select(v => (v.Value, v.Count)).ToArray());
        Assert.Equal([("Navy Blue", 3L)], facets["colour"]);
        Assert.Equal([("Q&Q", 2L)], facets["brand"]);
    }

    [Fact]
    public async Task A_result_too_large_to_count_gets_estimated_totals_and_facets_and_says_so()
    {
        var source = await fixture.NewDataSourceAsync("catalog_estimate");
        var model = new PostgresCatalogReadModel(source, exactCountLimit: 50, sampleRows: 400);
        var products = new PostgresProductStore(source);
        for (var i = 0; i < 2000; i++)
        {
            var id = $"e{i:D4}";
            await products.WriteAsync(new ProductWrite(TestProducts.From(Product(id, known: new()
            {
                ["category"] = i % 2 == 0 ? "Apparel" : "Footwear",
                ["colour"] = i % 50 == 0 ? "Rare" : "Common",
            })), ExpectedRevision: 0));
        }
        await using (var analyze = source.CreateCommand("ANALYZE catalog_products"))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        var broad = await model.SearchAsync(new CatalogQuery { Attributes = new() { ["category"] = ["apparel"] }, IncludeFacets = true });
        Assert.True(broad.Estimated);
        Assert.InRange(broad.Total!.Value, 700, 1300);
        var colours = broad.Facets!.Single(f => f.Attribute == "colour").Values;
        Assert.Equal(["Common", "Rare"], colours.Select(v => v.Value));
        Assert.InRange(colours[0].Count, 600, 1200);
        Assert.Equal(20, broad.Items.Length);

        var narrow = await model.SearchAsync(new CatalogQuery { Attributes = new() { ["colour"] = ["rare"], ["category"] = ["apparel"] }, Limit = 1 });
        Assert.False(narrow.Estimated);
        Assert.Equal(40, narrow.Total);
    }

    [Fact]
    public async Task A_count_over_the_exact_limit_on_a_table_no_larger_than_the_sample_is_exact_and_says_so()
    {
        var source = await fixture.NewDataSourceAsync("catalog_whole_sample");
        var model = new PostgresCatalogReadModel(source, exactCountLimit: 10, sampleRows: 400);
        var products = new PostgresProductStore(source);
        for (var i = 0; i < 60; i++)
        {
            var id = $"w{i:D3}";
            await products.WriteAsync(new ProductWrite(TestProducts.From(Product(id, known: new() { ["colour"] = i % 3 == 0 ? "Black" : "White" })), ExpectedRevision: 0));
        }
        await using (var analyze = source.CreateCommand("ANALYZE catalog_products"))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        // 40 matches: over the exact limit (10), so the sample path runs, but the sample (400 rows) covers the whole
        // table (60 rows): every row is counted, and the answer must say it is exact.
        var page = await model.SearchAsync(new CatalogQuery { Attributes = new() { ["colour"] = ["white"] }, IncludeFacets = true, Limit = 1 });
        Assert.Equal(40, page.Total);
        Assert.False(page.Estimated);
        Assert.Equal([("White", 40L)], page.Facets!.Single(f => f.Attribute == "colour").Values.Select(v => (v.Value, v.Count)));
    }
}
