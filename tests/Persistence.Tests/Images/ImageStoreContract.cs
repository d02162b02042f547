using Enrichment.Abstractions;
using Enrichment.Persistence.Images;

namespace Enrichment.Persistence.Tests.Images;

/// <summary>
/// The contract every photo store keeps, as a silo uses it: read through <see cref="HashCheckedImageStore"/>. Run
/// against PostgreSQL, a real S3 API server, a directory and memory alike. Damage is done behind the check, through
/// the raw store (whose writes trust the caller's hash, as <c>ImageGrain</c> checked it).
/// </summary>
public abstract class ImageStoreContract
{
    /// <summary>A fresh, empty store, as a silo would be given it, without the hash check.</summary>
    protected abstract Task<IImageStore> NewRawStoreAsync();

    private async Task<(IImageStore Photos, IImageStore Raw)> NewStoresAsync()
    {
        var raw = await NewRawStoreAsync();
        return (new HashCheckedImageStore(raw), raw);
    }

    protected static (string Sha256, ImageBlob Photo) NewPhoto(int size = 2_000, string contentType = "image/jpeg")
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        return (PhotoHash.Of(bytes), new ImageBlob(bytes, contentType));
    }

    [Fact]
    public async Task A_photo_is_read_back_whole_with_its_media_type()
    {
        var (photos, _) = await NewStoresAsync();
        var (key, photo) = NewPhoto(300_000, "image/png");

        await photos.PutAsync(key, photo);

        var read = await photos.GetAsync(key);
        Assert.Equal(photo.Bytes, read!.Bytes);
        Assert.Equal("image/png", read.ContentType);
    }

    [Fact]
    public async Task Writing_a_stored_photo_again_changes_nothing()
    {
        var (photos, _) = await NewStoresAsync();
        var (key, photo) = NewPhoto();

        await photos.PutAsync(key, photo);
        await photos.PutAsync(key, photo);

        Assert.Equal(photo.Bytes, (await photos.GetAsync(key))!.Bytes);
        Assert.Equal(photo.Bytes, Assert.Single(await photos.GetManyAsync([key, key])).Value.Bytes);
    }

    [Fact]
    public async Task A_batch_read_answers_the_stored_photos_and_leaves_out_the_missing()
    {
        var (photos, _) = await NewStoresAsync();
        var stored = Enumerable.Range(0, 40).Select(_ => NewPhoto()).ToList();
        foreach (var (key, photo) in stored)
        {
            await photos.PutAsync(key, photo);
        }
        var missing = NewPhoto().Sha256;

        var found = await photos.GetManyAsync([.. stored.Select(p => p.Sha256), missing]);

        Assert.Equal(stored.Count, found.Count);
        Assert.All(stored, p => Assert.Equal(p.Photo.Bytes, found[p.Sha256].Bytes));
        Assert.False(found.ContainsKey(missing));
        Assert.Null(await photos.GetAsync(missing));
        Assert.Empty(await photos.GetManyAsync([]));
    }

    [Fact]
    public async Task Stored_bytes_that_do_not_hash_to_their_key_are_a_clear_error_and_never_handed_out()
    {
        var (photos, raw) = await NewStoresAsync();
        var (key, _) = NewPhoto();
        var (goodKey, good) = NewPhoto();
        // Damage at rest: other bytes under the key.
        await raw.PutAsync(key, NewPhoto().Photo);
        await photos.PutAsync(goodKey, good);

        var ex = await Assert.ThrowsAsync<PhotoCorruptException>(() => photos.GetAsync(key));
        Assert.Equal(key, ex.Sha256);
        Assert.Contains("corrupt", ex.Message);

        var batch = await photos.GetManyAsync([key, goodKey]);
        Assert.Equal([goodKey], batch.Keys);
    }

    [Fact]
    public async Task A_put_cancelled_part_way_leaves_the_photo_absent_or_whole_and_a_later_put_stores_it()
    {
        var (photos, _) = await NewStoresAsync();
        var (key, photo) = NewPhoto(1_000_000);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        try
        {
            await photos.PutAsync(key, photo, cancelled.Token);
        }
        catch (OperationCanceledException)
        {
            // Expected of stores that do I/O; memory finishes at once.
        }

        // Never half a photo (the check would report it corrupt), and not "already stored" either.
        var after = await photos.GetAsync(key);
        Assert.True(after is null || after.Bytes.SequenceEqual(photo.Bytes));
        await photos.PutAsync(key, photo);
        Assert.Equal(photo.Bytes, (await photos.GetAsync(key))!.Bytes);
    }

    [Fact]
    public async Task Concurrent_writers_of_one_photo_all_succeed_and_leave_it_whole()
    {
        var (photos, _) = await NewStoresAsync();
        var (key, photo) = NewPhoto(2_000_000);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => photos.PutAsync(key, photo))));

        Assert.Equal(photo.Bytes, (await photos.GetAsync(key))!.Bytes);
    }

    /// <summary>
    /// Readers during concurrent writes see the photo whole or not at all (a partial one would fail the hash check).
    /// Not run against s3rver: it rewrites an object in place (it ignores If-None-Match), where AWS S3 and the
    /// servers it is modelled on replace objects atomically.
    /// </summary>
    protected async Task ReadersDuringWritesSeeWholePhotosAsync()
    {
        var (photos, _) = await NewStoresAsync();
        var (key, photo) = NewPhoto(2_000_000);

        var writers = Enumerable.Range(0, 8).Select(_ => Task.Run(() => photos.PutAsync(key, photo)));
        var readers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var seen = new List<ImageBlob?>();
            for (var i = 0; i < 5; i++)
            {
                seen.Add(await photos.GetAsync(key));
            }
            return seen;
        }));
        await Task.WhenAll(writers);
        var reads = (await Task.WhenAll(readers)).SelectMany(r => r).ToList();

        Assert.All(reads.Where(r => r is not null), r => Assert.Equal(photo.Bytes, r!.Bytes));
    }
}
