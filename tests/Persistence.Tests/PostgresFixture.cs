using Enrichment.TestSupport;

namespace Enrichment.Persistence.Tests;

/// <summary>One throwaway PostgreSQL server for the whole test assembly; each test creates its own database.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly List<Npgsql.NpgsqlDataSource> _sources = [];
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("PostgreSQL fixture not initialised.");

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    /// <summary>A fresh database with the project's schema, behind a small pool the fixture disposes.</summary>
    public async Task<Npgsql.NpgsqlDataSource> NewDataSourceAsync(string prefix)
    {
        var cs = await Server.CreateDatabaseAsync(prefix);
        await PostgresSchema.ApplyAsync(cs);
        var source = PostgresConnections.DataSource(cs, maxPoolSize: 8, prefix + "-tests");
        lock (_sources)
        {
            _sources.Add(source);
        }
        return source;
    }

    public async Task DisposeAsync()
    {
        foreach (var source in _sources)
        {
            await source.DisposeAsync();
        }
        if (_server is not null) await _server.DisposeAsync();
    }
}

/// <summary>All PostgreSQL test classes share the server (and run sequentially, which the 2-core CI box prefers).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
