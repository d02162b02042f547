using Enrichment.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Enrichment.Persistence.Images;

/// <summary>Photos in PostgreSQL (table <c>catalog_images</c>, Enrichment-Products.sql).</summary>
public sealed class PostgresImageStore(NpgsqlDataSource dataSource) : IImageStore
{
    private const string Put = """
        INSERT INTO catalog_images (sha256, content_type, bytes) VALUES (@sha256, @content_type, @bytes)
        ON CONFLICT (sha256) DO NOTHING
        """;

    public async Task PutAsync(string sha256, ImageBlob photo, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(Put, connection);
        command.Parameters.AddWithValue("sha256", sha256);
        command.Parameters.AddWithValue("content_type", photo.ContentType);
        command.Parameters.AddWithValue("bytes", photo.Bytes);
        await command.PrepareAsync(ct);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Deletes the rows of photos moved to another store (<see cref="MigratingImageStore"/>).</summary>
    public async Task RemoveAsync(IReadOnlyCollection<string> sha256s, CancellationToken ct = default)
    {
        if (sha256s.Count == 0)
        {
            return;
        }
        await using var command = dataSource.CreateCommand("DELETE FROM catalog_images WHERE sha256 = ANY(@keys)");
        command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = sha256s.Distinct().ToArray() });
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<ImageBlob?> GetAsync(string sha256, CancellationToken ct = default) =>
        (await GetManyAsync([sha256], ct)).GetValueOrDefault(sha256);

    public async Task<IReadOnlyDictionary<string, ImageBlob>> GetManyAsync(IReadOnlyCollection<string> sha256s, CancellationToken ct = default)
    {
        var found = new Dictionary<string, ImageBlob>(StringComparer.Ordinal);
        if (sha256s.Count == 0)
        {
            return found;
        }
        await using var command = dataSource.CreateCommand("SELECT sha256, content_type, bytes FROM catalog_images WHERE sha256 = ANY(@keys)");
        command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = sha256s.Distinct().ToArray() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            found[reader.GetString(0)] = new ImageBlob(reader.GetFieldValue<byte[]>(2), reader.GetString(1));
        }
        return found;
    }
}
