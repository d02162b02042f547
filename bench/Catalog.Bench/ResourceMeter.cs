using System.Diagnostics;
using Npgsql;

namespace Enrichment.Catalog.Bench;

/// <summary>What a stretch of work cost: this process's CPU (silos and client), PostgreSQL's CPU, database and WAL growth.</summary>
public sealed class ResourceMeter(string connectionString, string dataDirectory)
{
    public sealed record Reading(TimeSpan Wall, TimeSpan ProcessCpu, TimeSpan PostgresCpu, long DatabaseBytes, long WalBytes);

    private readonly Stopwatch _wall = Stopwatch.StartNew();

    public async Task<Reading> ReadAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_database_size(current_database()), pg_current_wal_lsn() - '0/0'::pg_lsn", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Reading(_wall.Elapsed, Process.GetCurrentProcess().TotalProcessorTime, PostgresCpu(),
            reader.GetInt64(0), (long)reader.GetDecimal(1));
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
