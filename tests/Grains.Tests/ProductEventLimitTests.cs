using Enrichment.Abstractions;

namespace Enrichment.Grains.Tests;

/// <summary>
/// The product grain re-applies the event limits, so an event that skipped the client's checks (another
/// client, a replayed stream) is held to the same boundaries: the limit is stored, one more is refused.
/// </summary>
[Collection(CatalogClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class ProductEventLimitTests(CatalogClusterFixture fixture)
{
    public enum Limit { ProductId, EventId, Name, AttributeName, AttributeValue, AttributeCount }

    public static TheoryData<Limit> Limits => new(Enum.GetValues<Limit>());

    [Theory]
    [MemberData(nameof(Limits))]
    public async Task The_limit_itself_is_stored(Limit limit)
    {
        var (e, _) = Build(limit, overBy: 0);
        var grain = fixture.Grains.GetGrain<IProductGrain>(e.ProductId);

        Assert.Equal(ApplyOutcome.Applied, (await grain.Apply(e)).Outcome);
        Assert.Equal(e.EventId, (await grain.Get())!.LastEventId);
    }

    [Theory]
    [MemberData(nameof(Limits))]
    public async Task One_over_the_limit_is_refused_with_the_reason_and_stores_nothing(Limit limit)
    {
        var (e, reason) = Build(limit, overBy: 1);
        var grain = fixture.Grains.GetGrain<IProductGrain>(e.ProductId);

        var error = await TestEvents.RejectedAsync(grain.Apply(e));

        Assert.Contains(reason, error);
        Assert.Null(await grain.Get());
    }

    private static (ProductEvent Event, string Reason) Build(Limit limit, int overBy)
    {
        var id = TestEvents.UniqueId("limit");
        var e = TestEvents.Product(id, 1);
        var attributes = new Dictionary<string, string>(e.Attributes);
        switch (limit)
        {
            case Limit.ProductId:
                var longId = Padded(id, ProductEventValidator.MaxIdLength + overBy);
                return (e with { ProductId = longId }, $"productId is longer than {ProductEventValidator.MaxIdLength} characters");
            case Limit.EventId:
                return (e with { EventId = Padded(id, ProductEventValidator.MaxIdLength + overBy) },
                    $"eventId is longer than {ProductEventValidator.MaxIdLength} characters");
            case Limit.Name:
                return (e with { Name = Padded("n", ProductEventValidator.MaxNameLength + overBy) },
                    $"name is longer than {ProductEventValidator.MaxNameLength} characters");
            case Limit.AttributeName:
                // [a-z][a-z0-9_]{0,31}: 32 characters at most.
                attributes[Padded("note_", 32 + overBy)] = "x";
                return (e with { Attributes = attributes }, "must match [a-z][a-z0-9_]{0,31}");
            case Limit.AttributeValue:
                attributes[AttributeNames.Colour] = Padded("Red", ProductEventValidator.MaxAttributeValueLength + overBy);
                return (e with { Attributes = attributes },
                    $"attributes.colour is longer than {ProductEventValidator.MaxAttributeValueLength} characters");
            case Limit.AttributeCount:
                for (var i = attributes.Count; i < ProductEventValidator.MaxAttributes + overBy; i++)
                {
                    attributes[$"extra_{i}"] = "x";
                }
                return (e with { Attributes = attributes },
                    $"at most {ProductEventValidator.MaxAttributes} attributes are allowed (got {ProductEventValidator.MaxAttributes + overBy})");
            default:
                throw new ArgumentOutOfRangeException(nameof(limit));
        }
    }

    private static string Padded(string prefix, int length) => prefix + new string('x', length - prefix.Length);
}
