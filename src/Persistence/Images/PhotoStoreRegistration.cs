using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Polly.Registry;

namespace Enrichment.Persistence.Images;

/// <summary>
/// The silo's one photo store, chosen by <c>Photos:Store</c> and validated on start. On a PostgreSQL catalogue a store
/// other than postgres reads through to the old table (<see cref="MigratingImageStore"/>), so photos stored before the
/// switch keep working; every store is read through <see cref="HashCheckedImageStore"/>.
/// </summary>
public static class PhotoStoreRegistration
{
    public const string Postgres = "postgres";
    public const string S3 = "s3";
    public const string FileSystem = "filesystem";
    public const string Memory = "memory";

    /// <summary>The store <paramref name="options"/> select; unset: postgres on a PostgreSQL catalogue, memory on the embedded one.</summary>
    public static string Kind(PhotoStoreOptions options, bool hasPostgres) =>
        string.IsNullOrWhiteSpace(options.Store) ? (hasPostgres ? Postgres : Memory) : options.Store.Trim().ToLowerInvariant();

    /// <param name="photos">The <c>Photos</c> section.</param>
    /// <param name="postgres">The catalogue's PostgreSQL pool, on a PostgreSQL catalogue.</param>
    /// <param name="memory">The embedded catalogue's photos, on a memory catalogue.</param>
    public static IServiceCollection AddPhotoStore(this IServiceCollection services, IConfiguration photos,
        Func<IServiceProvider, NpgsqlDataSource>? postgres, Func<IServiceProvider, InMemoryImageStore>? memory)
    {
        var hasPostgres = postgres is not null;
        services.AddOptions<PhotoStoreOptions>().Bind(photos).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<PhotoStoreOptions>>(new PhotoStoreOptionsValidator(hasPostgres));
        services.AddResiliencePipeline(S3Retries.PipelineName, (builder, context) =>
            S3Retries.Configure(builder, context.ServiceProvider.GetRequiredService<IOptions<PhotoStoreOptions>>().Value.S3));
        services.AddResilienceEnricher();
        // Their own singletons, so that the container disposes the S3 client with the silo.
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PhotoStoreOptions>>().Value;
            return new S3ImageStore(S3ImageStore.CreateClient(options.S3), options.S3.Bucket!,
                sp.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(S3Retries.PipelineName),
                options.MaxParallelReads, sp.GetRequiredService<ILogger<S3ImageStore>>());
        });
        services.AddSingleton<IImageStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PhotoStoreOptions>>().Value;
            var kind = Kind(options, hasPostgres);
            IImageStore store = kind switch
            {
                Postgres => new PostgresImageStore(postgres!(sp)),
                Memory => memory is not null ? memory(sp) : throw new InvalidOperationException("no memory catalogue to keep photos in"),
                FileSystem => new FileSystemImageStore(options.Directory!, options.MaxParallelReads),
                S3 => sp.GetRequiredService<S3ImageStore>(),
                _ => throw new OptionsValidationException(PhotoStoreOptions.Section, typeof(PhotoStoreOptions), [$"unknown photo store '{kind}'"]),
            };
            if (hasPostgres && kind != Postgres)
            {
                store = new MigratingImageStore(store, new PostgresImageStore(postgres!(sp)), sp.GetRequiredService<ILogger<MigratingImageStore>>());
            }
            return new HashCheckedImageStore(store, sp.GetRequiredService<ILogger<HashCheckedImageStore>>());
        });
        return services;
    }
}
