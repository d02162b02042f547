using Enrichment.Abstractions;
using Enrichment.Persistence.Images;
using Npgsql;

namespace Enrichment.Persistence.Tests.Images;

/// <summary>
/// Photos stored in PostgreSQL (catalog_images) before the switch to another store: read once from the table, moved
/// to the store, and gone from the table; real PostgreSQL, a real S3 API server and a directory.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Processes")]
public sealed class PhotoMigrationTests(PostgresFixture postgres, S3Fixture s3) : IClassFixture<S3Fixture>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("enrichment-photos-").FullName;

    public static TheoryData<string> Stores => new() { "s3", "filesystem" };

    private IImageStore NewStore(string kind) => kind == "s3"
        ? s3.NewStore()
        : new FileSystemImageStore(Path.Combine(_root, Guid.NewGuid().ToString("N")));

    private static (string Sha256, ImageBlob Photo) NewPhoto()
    {
        var bytes = new byte[5_000];
        Random.Shared.NextBytes(bytes);
        return (PhotoHash.Of(bytes), new ImageBlob(bytes, "image/webp"));
    }

    private static async Task<long> RowsAsync(NpgsqlDataSource source) =>
        (long)(await source.CreateCommand("SELECT count(*) FROM catalog_images").ExecuteScalarAsync())!;

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task An_old_photo_is_read_from_the_table_once_and_moved_to_the_store(string kind)
    {
        var source = await postgres.NewDataSourceAsync("migrate");
        var legacy = new PostgresImageStore(source);
        var old = Enumerable.Range(0, 5).Select(_ => NewPhoto()).ToList();
        foreach (var (key, photo) in old)
        {
            await legacy.PutAsync(key, photo);
        }
        var store = NewStore(kind);
        var photos = new HashCheckedImageStore(new MigratingImageStore(store, legacy));

        var one = await photos.GetAsync(old[0].Sha256);
        var rest = await photos.GetManyAsync(old.Skip(1).Select(p => p.Sha256).ToList());

        Assert.Equal(old[0].Photo.Bytes, one!.Bytes);
        Assert.All(old.Skip(1), p => Assert.Equal(p.Photo.Bytes, rest[p.Sha256].Bytes));
        // Moved: in the store (read without the fallback), no longer in PostgreSQL.
        foreach (var (key, photo) in old)
        {
            Assert.Equal(photo.Bytes, (await store.GetAsync(key))!.Bytes);
        }
        Assert.Equal("image/webp", (await store.GetAsync(old[0].Sha256))!.ContentType);
        Assert.Equal(0, await RowsAsync(source));
        Assert.Equal(old[0].Photo.Bytes, (await photos.GetAsync(old[0].Sha256))!.Bytes);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task New_photos_go_to_the_store_only_and_a_photo_in_neither_is_missing(string kind)
    {
        var source = await postgres.NewDataSourceAsync("migrate");
        var store = NewStore(kind);
        var photos = new HashCheckedImageStore(new MigratingImageStore(store, new PostgresImageStore(source)));
        var (key, photo) = NewPhoto();

        await photos.PutAsync(key, photo);

        Assert.Equal(photo.Bytes, (await store.GetAsync(key))!.Bytes);
        Assert.Equal(0, await RowsAsync(source));
        Assert.Null(await photos.GetAsync(NewPhoto().Sha256));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_corrupt_old_row_stays_in_the_table_and_reads_as_corrupt(string kind)
    {
        var source = await postgres.NewDataSourceAsync("migrate");
        var legacy = new PostgresImageStore(source);
        var (key, _) = NewPhoto();
        await legacy.PutAsync(key, NewPhoto().Photo);
        var store = NewStore(kind);
        var photos = new HashCheckedImageStore(new MigratingImageStore(store, legacy));

        await Assert.ThrowsAsync<PhotoCorruptException>(() => photos.GetAsync(key));
        Assert.Empty(await photos.GetManyAsync([key]));

        Assert.Null(await store.GetAsync(key));
        Assert.Equal(1, await RowsAsync(source));
    }

    /// <summary>
    /// On a directory only: racing movers each write the photo, and s3rver (unlike AWS S3, which also refuses the
    /// second conditional write) rewrites an object in place, so a reader could catch it half-written there.
    /// </summary>
    [Theory]
    [InlineData("filesystem")]
    public async Task Readers_racing_on_one_old_photo_all_get_it(string kind)
    {
        var source = await postgres.NewDataSourceAsync("migrate");
        var legacy = new PostgresImageStore(source);
        var (key, photo) = NewPhoto();
        await legacy.PutAsync(key, photo);
        var photos = new HashCheckedImageStore(new MigratingImageStore(NewStore(kind), legacy));

        var reads = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => photos.GetAsync(key))));

        Assert.All(reads, r => Assert.Equal(photo.Bytes, r!.Bytes));
        Assert.Equal(0, await RowsAsync(source));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
