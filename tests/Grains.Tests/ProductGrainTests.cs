using Enrichment.Abstractions;

namespace Enrichment.Grains.Tests;

[Collection(CatalogClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class ProductGrainTests(CatalogClusterFixture fixture)
{
    [Fact]
    public async Task Unknown_product_returns_null()
    {
        Assert.Null(await fixture.Grains.GetGrain<IProductGrain>(TestEvents.UniqueId("missing")).Get());
    }

    [Fact]
    public async Task Applied_event_is_stored_with_its_attributes()
    {
        var id = TestEvents.UniqueId("p");
        var result = await fixture.Grains.GetGrain<IProductGrain>(id).Apply(TestEvents.Product(id, 1, colour: " Navy Blue "));

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        var view = await fixture.Grains.GetGrain<IProductGrain>(id).Get();
        Assert.NotNull(view);
        Assert.Equal(1, view.Version);
        Assert.Equal("Navy Blue", view.KnownAttributes[AttributeNames.Colour]);
        Assert.Equal("Tshirts", view.KnownAttributes[AttributeNames.Type]);
    }

    [Fact]
    public async Task Duplicate_and_out_of_order_events_change_nothing()
    {
        var id = TestEvents.UniqueId("p");
        var grain = fixture.Grains.GetGrain<IProductGrain>(id);
        await grain.Apply(TestEvents.Product(id, 5, colour: "Blue"));

        var duplicate = await grain.Apply(TestEvents.Product(id, 5, colour: "Blue"));
        var older = await grain.Apply(TestEvents.Product(id, 3, colour: "Green"));
        var sameVersionOtherEvent = await grain.Apply(TestEvents.Product(id, 5, colour: "Pink", eventId: "other-event"));

        Assert.Equal(ApplyOutcome.Duplicate, duplicate.Outcome);
        Assert.Equal(ApplyOutcome.Stale, older.Outcome);
        // Same version, other content: reported as a conflict (issue 10), still not applied.
        Assert.Equal(ApplyOutcome.Conflict, sameVersionOtherEvent.Outcome);
        var view = await grain.Get();
        Assert.Equal(5, view!.Version);
        Assert.Equal("Blue", view.KnownAttributes[AttributeNames.Colour]);
    }

    [Fact]
    public async Task Update_without_image_keeps_the_stored_image()
    {
        var id = TestEvents.UniqueId("p");
        var grain = fixture.Grains.GetGrain<IProductGrain>(id);
        var image = TestEvents.RefFor([0xFF, 0xD8, 0xFF, 1, 2, 3]);
        await grain.Apply(TestEvents.Product(id, 1) with { Image = image });

        await grain.Apply(TestEvents.Product(id, 2, colour: "White"));

        var view = await grain.Get();
        Assert.Equal(image, view!.Image);
        Assert.Equal("White", view.KnownAttributes[AttributeNames.Colour]);
    }

    [Theory]
    [InlineData("bad id with spaces", "may contain only")]
    [InlineData("", "productId is required")]
    public async Task Invalid_event_is_refused_with_a_reason_and_stores_nothing(string productId, string reason)
    {
        var key = productId.Length == 0 ? TestEvents.UniqueId("empty") : productId;
        var grain = fixture.Grains.GetGrain<IProductGrain>(key);
        var ex = await TestEvents.RejectedAsync(grain.Apply(TestEvents.Product(productId, 1)));
        Assert.Contains(reason, ex);
        Assert.Null(await grain.Get());
    }

    [Fact]
    public async Task Control_characters_in_name_are_refused()
    {
        var id = TestEvents.UniqueId("p");
        var grain = fixture.Grains.GetGrain<IProductGrain>(id);
        var ex = await TestEvents.RejectedAsync(grain.Apply(TestEvents.Product(id, 1) with { Name = "evil\u0000\u001b[31m" }));
        Assert.Contains("control characters", ex);
        Assert.Null(await grain.Get());
    }

    [Fact]
    public async Task Event_sent_to_another_products_grain_is_refused()
    {
        var id = TestEvents.UniqueId("p");
        var ex = await TestEvents.RejectedAsync(fixture.Grains.GetGrain<IProductGrain>(id).Apply(TestEvents.Product("someone-else", 1)));
        Assert.Contains("sent to product", ex);
    }

    [Fact]
    public async Task The_largest_json_safe_version_is_accepted_and_anything_past_it_refused_so_no_event_can_outrun_all_others()
    {
        var id = TestEvents.UniqueId("version-bound");
        var grain = fixture.Grains.GetGrain<IProductGrain>(id);

        var refused = await TestEvents.RejectedAsync(grain.Apply(TestEvents.Product(id, long.MaxValue)));
        Assert.Contains($"version must be between 0 and {ProductEventValidator.MaxVersion}", refused);
        Assert.Null(await grain.Get());

        Assert.Equal(ApplyOutcome.Applied, (await grain.Apply(TestEvents.Product(id, ProductEventValidator.MaxVersion))).Outcome);
    }

    [Fact]
    public async Task Same_version_with_other_content_is_a_conflict_and_changes_nothing()
    {
        var id = TestEvents.UniqueId("conflict");
        var grain = fixture.Grains.GetGrain<IProductGrain>(id);
        await grain.Apply(TestEvents.Product(id, 3, colour: "Blue", eventId: "a"));

        Assert.Equal(ApplyOutcome.Stale, (await grain.Apply(TestEvents.Product(id, 3, colour: "Blue", eventId: "b"))).Outcome);
        Assert.Equal(ApplyOutcome.Conflict, (await grain.Apply(TestEvents.Product(id, 3, colour: "Red", eventId: "c"))).Outcome);
        Assert.Equal(ApplyOutcome.Stale, (await grain.Apply(TestEvents.Product(id, 2, colour: "Red", eventId: "d"))).Outcome);
        var stored = await grain.Get();
        Assert.Equal(("Blue", "a"), (stored!.KnownAttributes[AttributeNames.Colour], stored.LastEventId));
    }

    [Fact]
    public async Task Same_version_same_name_and_attributes_but_another_photo_is_a_conflict()
    {
        var id = TestEvents.UniqueId("photo-conflict");
        var grain = fixture.Grains.GetGrain<IProductGrain>(id);
        var photo = TestEvents.RefFor([0xFF, 0xD8, 0xFF, 0x01]);
        await grain.Apply(TestEvents.Product(id, 4, eventId: "a") with { Image = photo });

        var otherPhoto = await grain.Apply(TestEvents.Product(id, 4, eventId: "b") with { Image = TestEvents.RefFor([0xFF, 0xD8, 0xFF, 0x02]) });

        Assert.Equal(ApplyOutcome.Conflict, otherPhoto.Outcome);
        Assert.Equal(photo, (await grain.Get())!.Image);
    }

    [Fact]
    public async Task A_resent_recent_event_is_a_duplicate_after_more_events_than_the_remembered_window()
    {
        var id = TestEvents.UniqueId("window");
        var grain = fixture.Grains.GetGrain<IProductGrain>(id);
        // More events than the grain remembers ids of (16): the newest must be the ones remembered.
        for (var version = 1; version <= 20; version++)
        {
            Assert.Equal(ApplyOutcome.Applied, (await grain.Apply(TestEvents.Product(id, version))).Outcome);
        }

        Assert.Equal(ApplyOutcome.Duplicate, (await grain.Apply(TestEvents.Product(id, 20))).Outcome);
        Assert.Equal(ApplyOutcome.Duplicate, (await grain.Apply(TestEvents.Product(id, 5))).Outcome);
        // An event older than the window is no longer known by its id; its version still makes it stale.
        Assert.Equal(ApplyOutcome.Stale, (await grain.Apply(TestEvents.Product(id, 4))).Outcome);
    }
}

