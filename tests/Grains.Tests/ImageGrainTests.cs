using Enrichment.Abstractions;

namespace Enrichment.Grains.Tests;

[Collection(CatalogClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class ImageGrainTests(CatalogClusterFixture fixture)
{
    [Fact]
    public async Task Image_is_stored_under_its_hash_and_reupload_is_a_no_op()
    {
        var bytes = Guid.NewGuid().ToByteArray();
        var key = TestEvents.RefFor(bytes).Sha256;
        var photos = fixture.Grains.Photos();

        await photos.Put(key, bytes, "image/jpeg");
        await photos.Put(key, bytes, "image/jpeg");

        var blob = await photos.Get(key);
        Assert.Equal(bytes, blob!.Bytes);
    }

    [Fact]
    public async Task Bytes_that_do_not_match_the_key_are_refused()
    {
        var key = TestEvents.RefFor([1, 2, 3]).Sha256;
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Grains.Photos().Put(key, [4, 5, 6], "image/jpeg"));
        Assert.Contains("hash to", ex.Message);
        Assert.Null(await fixture.Grains.Photos().Get(key));
    }
}
