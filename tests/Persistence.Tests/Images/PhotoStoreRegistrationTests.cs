using Enrichment.Persistence.Images;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enrichment.Persistence.Tests.Images;

/// <summary>Which store <c>Photos:*</c> selects, and which settings a silo refuses to start with.</summary>
[Trait("Category", "Unit")]
public sealed class PhotoStoreRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, bool postgres)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        // A pool that is never opened: these tests only look at what is registered.
        var source = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Database=none");
        services.AddPhotoStore(configuration.GetSection(PhotoStoreOptions.Section),
            postgres ? _ => source : null, postgres ? null : _ => new InMemoryImageStore());
        return services.BuildServiceProvider();
    }

    private static IImageStore Inner(IServiceProvider services) =>
        Assert.IsType<HashCheckedImageStore>(services.GetRequiredService<IImageStore>()).Inner;

    [Fact]
    public void Unset_keeps_todays_stores_postgres_on_a_postgres_catalogue_memory_on_the_embedded_one()
    {
        Assert.IsType<PostgresImageStore>(Inner(Build([], postgres: true)));
        Assert.IsType<InMemoryImageStore>(Inner(Build([], postgres: false)));
    }

    [Fact]
    public void S3_and_filesystem_on_a_postgres_catalogue_read_through_to_the_old_table()
    {
        using var s3 = Build(new()
        {
            ["Photos:Store"] = "s3", ["Photos:S3:ServiceUrl"] = "http://127.0.0.1:9000", ["Photos:S3:Bucket"] = "photos",
            ["Photos:S3:AccessKey"] = "a", ["Photos:S3:SecretKey"] = "s",
        }, postgres: true);
        Assert.IsType<MigratingImageStore>(Inner(s3));

        using var directory = Build(new() { ["Photos:Store"] = "FileSystem", ["Photos:Directory"] = Path.GetTempPath() }, postgres: false);
        Assert.IsType<FileSystemImageStore>(Inner(directory));
    }

    [Theory]
    [InlineData("s3", "Photos:Store=s3 needs Photos:S3:Bucket")]
    [InlineData("filesystem", "Photos:Store=filesystem needs Photos:Directory")]
    [InlineData("postgres", "Photos:Store=postgres needs a PostgreSQL catalogue")]
    [InlineData("tape", "Photos:Store must be postgres, s3, filesystem or memory, not 'tape'")]
    public void Settings_that_cannot_work_are_refused_with_the_reason(string store, string reason)
    {
        using var services = Build(new() { ["Photos:Store"] = store }, postgres: false);

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PhotoStoreOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.Contains(reason));
    }

    [Fact]
    public void Memory_photos_are_refused_on_a_postgres_catalogue_and_a_bad_endpoint_is_named()
    {
        using var memory = Build(new() { ["Photos:Store"] = "memory" }, postgres: true);
        Assert.Contains(Assert.Throws<OptionsValidationException>(() => memory.GetRequiredService<IOptions<PhotoStoreOptions>>().Value).Failures,
            f => f.Contains("one silo's memory"));

        using var s3 = Build(new()
        {
            ["Photos:Store"] = "s3", ["Photos:S3:ServiceUrl"] = "minio:9000", ["Photos:S3:Bucket"] = "photos",
            ["Photos:S3:AccessKey"] = "a", ["Photos:S3:SecretKey"] = "s",
        }, postgres: true);
        Assert.Contains(Assert.Throws<OptionsValidationException>(() => s3.GetRequiredService<IOptions<PhotoStoreOptions>>().Value).Failures,
            f => f.Contains("Photos:S3:ServiceUrl must be an http(s) URL"));
    }
}
