using Microsoft.Extensions.Options;

namespace Enrichment.Persistence.Images;

/// <summary>
/// What a silo's photo settings must say before it starts. <paramref name="hasPostgres"/>: the catalogue is in
/// PostgreSQL (then photos must be where every silo sees them, and postgres is possible at all).
/// </summary>
public sealed class PhotoStoreOptionsValidator(bool hasPostgres) : IValidateOptions<PhotoStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, PhotoStoreOptions o)
    {
        var problems = new List<string>();
        var store = PhotoStoreRegistration.Kind(o, hasPostgres);
        switch (store)
        {
            case PhotoStoreRegistration.Postgres when !hasPostgres:
                problems.Add("Photos:Store=postgres needs a PostgreSQL catalogue (Cluster:Postgres)");
                break;
            case PhotoStoreRegistration.Memory when hasPostgres:
                problems.Add("Photos:Store=memory keeps photos in one silo's memory, which the other silos of a PostgreSQL cluster " +
                             "and restarts cannot see: use postgres, s3 or filesystem");
                break;
            case PhotoStoreRegistration.FileSystem when string.IsNullOrWhiteSpace(o.Directory):
                problems.Add("Photos:Store=filesystem needs Photos:Directory");
                break;
            case PhotoStoreRegistration.S3:
                problems.AddRange(S3Problems(o.S3));
                break;
            case PhotoStoreRegistration.Postgres or PhotoStoreRegistration.Memory or PhotoStoreRegistration.FileSystem:
                break;
            default:
                problems.Add($"Photos:Store must be postgres, s3, filesystem or memory, not '{o.Store}'");
                break;
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static IEnumerable<string> S3Problems(S3PhotoOptions s3)
    {
        if (!string.IsNullOrWhiteSpace(s3.ServiceUrl)
            && !(Uri.TryCreate(s3.ServiceUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
        {
            yield return $"Photos:S3:ServiceUrl must be an http(s) URL, not '{s3.ServiceUrl}'";
        }
        if (string.IsNullOrWhiteSpace(s3.Bucket))
        {
            yield return "Photos:Store=s3 needs Photos:S3:Bucket";
        }
        if (string.IsNullOrWhiteSpace(s3.AccessKey) || string.IsNullOrWhiteSpace(s3.SecretKey))
        {
            yield return "Photos:Store=s3 needs Photos:S3:AccessKey and Photos:S3:SecretKey";
        }
        if (string.IsNullOrWhiteSpace(s3.Region))
        {
            yield return "Photos:S3:Region must not be empty";
        }
        if (s3.RequestTimeout <= TimeSpan.Zero || s3.RetryInitialDelay <= TimeSpan.Zero || s3.RetryBudget < s3.RequestTimeout)
        {
            yield return "Photos:S3: RequestTimeout and RetryInitialDelay must be positive, RetryBudget at least RequestTimeout";
        }
    }
}
