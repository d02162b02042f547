using Enrichment.Persistence.Images;
using Enrichment.TestSupport;

namespace Enrichment.Persistence.Tests.Images;

[Trait("Category", "Unit")]
public sealed class InMemoryImageStoreTests : ImageStoreContract
{
    [Fact]
    public Task Readers_during_concurrent_writes_see_the_photo_whole_or_not_at_all() => ReadersDuringWritesSeeWholePhotosAsync();

    protected override Task<IImageStore> NewRawStoreAsync() => Task.FromResult<IImageStore>(new InMemoryImageStore());
}

[Collection(PostgresCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresImageStoreTests(PostgresFixture fixture) : ImageStoreContract
{
    [Fact]
    public Task Readers_during_concurrent_writes_see_the_photo_whole_or_not_at_all() => ReadersDuringWritesSeeWholePhotosAsync();

    protected override async Task<IImageStore> NewRawStoreAsync() => new PostgresImageStore(await fixture.NewDataSourceAsync("photos"));
}

[Trait("Category", "Unit")]
public sealed class FileSystemImageStoreTests : ImageStoreContract, IDisposable
{
    [Fact]
    public Task Readers_during_concurrent_writes_see_the_photo_whole_or_not_at_all() => ReadersDuringWritesSeeWholePhotosAsync();

    private readonly string _root = Directory.CreateTempSubdirectory("enrichment-photos-").FullName;

    protected override Task<IImageStore> NewRawStoreAsync() =>
        Task.FromResult<IImageStore>(new FileSystemImageStore(Path.Combine(_root, Guid.NewGuid().ToString("N"))));

    [Fact]
    public async Task Photos_are_sharded_by_hash_prefix_and_no_temporary_file_is_left_behind()
    {
        var store = new FileSystemImageStore(Path.Combine(_root, "sharded"));
        var (key, photo) = NewPhoto();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var (other, otherPhoto) = NewPhoto();

        await store.PutAsync(key, photo);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.PutAsync(other, otherPhoto, cancelled.Token));

        Assert.Equal(Path.Combine(store.Directory, key[..2], key[2..4], key), store.PathOf(key));
        Assert.True(File.Exists(store.PathOf(key)));
        var files = Directory.GetFiles(store.Directory, "*", SearchOption.AllDirectories);
        Assert.Equal([store.PathOf(key)], files);
    }

    [Fact]
    public async Task A_stored_photo_is_not_rewritten()
    {
        var store = new FileSystemImageStore(Path.Combine(_root, "once"));
        var (key, photo) = NewPhoto();
        await store.PutAsync(key, photo);
        var written = File.GetLastWriteTimeUtc(store.PathOf(key));
        File.SetLastWriteTimeUtc(store.PathOf(key), written.AddDays(-1));

        await store.PutAsync(key, photo with { ContentType = "image/png" });

        Assert.Equal(written.AddDays(-1), File.GetLastWriteTimeUtc(store.PathOf(key)));
        Assert.Equal("image/jpeg", (await store.GetAsync(key))!.ContentType);
    }

    [Fact]
    public async Task A_key_that_is_not_a_hash_never_becomes_a_path()
    {
        var store = new FileSystemImageStore(Path.Combine(_root, "keys"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.GetAsync("../../etc/passwd"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(new string('A', 64), NewPhoto().Photo));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}

[Trait("Category", "Processes")]
public sealed class S3ImageStoreTests(S3Fixture s3) : ImageStoreContract, IClassFixture<S3Fixture>
{
    protected override Task<IImageStore> NewRawStoreAsync() => Task.FromResult<IImageStore>(s3.NewStore());
}
