using System.Diagnostics;
using Npgsql;

namespace Enrichment.TestSupport;

/// <summary>
/// What a stretch of work cost (benchmarks): this process's CPU (in-process silos and client), PostgreSQL's CPU,
/// database and WAL growth, and round trips to the database.
/// </summary>
public sealed class ResourceMeter(string connectionString, string dataDirectory)
{
    /// <param name="Transactions">Transactions the database committed or rolled back. Every product change, claim or
    /// read is one statement or one batch in one implicit transaction, so this counts round trips; its statistics
    /// reach the view lazily (an idle backend reports within about ten seconds), see <see cref="SettleAsync"/>.</param>
    public sealed record Reading(TimeSpan Wall, TimeSpan ProcessCpu, TimeSpan PostgresCpu, long DatabaseBytes, long WalBytes, long Transactions)
    {
        public static Reading operator -(Reading after, Reading before) => new(after.Wall - before.Wall, after.ProcessCpu - before.ProcessCpu,
            after.PostgresCpu - before.PostgresCpu, after.DatabaseBytes - before.DatabaseBytes, after.WalBytes - before.WalBytes,
            after.Transactions - before.Transactions);
    }

    /// <summary>How long backends may keep statistics before they report them (PostgreSQL's PGSTAT_IDLE_INTERVAL, 10 s).</summary>
    public static readonly TimeSpan StatisticsDelay = TimeSpan.FromSeconds(11);

    private readonly Stopwatch _wall = Stopwatch.StartNew();

    public async Task<Reading> ReadAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT pg_database_size(current_database()), pg_current_wal_lsn() - '0/0'::pg_lsn,
                   (SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database())
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Reading(_wall.Elapsed, Process.GetCurrentProcess().TotalProcessorTime, PostgresCpu(),
            reader.GetInt64(0), (long)reader.GetDecimal(1), reader.GetInt64(2));
    }

    /// <summary>A reading whose transaction count includes everything done before the call (waits for the statistics).</summary>
    public async Task<Reading> SettleAsync(CancellationToken ct = default)
    {
        await Task.Delay(StatisticsDelay, ct);
        return await ReadAsync();
    }

    /// <summary>The postmaster, its live children and the children it has reaped, from /proc (clock ticks of 10 ms).</summary>
    private TimeSpan PostgresCpu()
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First());
        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            // Fields after the parenthesised command: state ppid ... utime(14) stime(15) cutime(16) cstime(17).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ppid = int.Parse(fields[1]);
            if (pid == postmaster)
            {
                ticks += long.Parse(fields[11]) + long.Parse(fields[12]) + long.Parse(fields[13]) + long.Parse(fields[14]);
            }
            else if (ppid == postmaster)
            {
                ticks += long.Parse(fields[11]) + long.Parse(fields[12]);
            }
        }
        return TimeSpan.FromMilliseconds(ticks * 10);
    }
}
