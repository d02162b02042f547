using System.Diagnostics;
using System.Text;

namespace Enrichment.TestSupport;

/// <summary>Runs a short-lived command to completion, optionally as another OS user, capturing its output.</summary>
internal static class ProcessRunner
{
    /// <summary>initdb and the postgres server refuse to run as root, so root runs them as this user.</summary>
    public const string PostgresOsUser = "postgres";

    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>Runs <paramref name="file"/> (as <see cref="PostgresOsUser"/> when we are root) and returns its output;
    /// throws with the output when the exit code is non-zero.</summary>
    public static async Task<string> RunAsync(string file, IReadOnlyList<string> args, CancellationToken ct, bool asPostgresUser = true)
    {
        var psi = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (asPostgresUser && IsRoot)
        {
            // runuser (util-linux) needs no password or PAM session when called by root.
            psi.FileName = "runuser";
            psi.ArgumentList.Add("-u");
            psi.ArgumentList.Add(PostgresOsUser);
            psi.ArgumentList.Add("--");
            psi.ArgumentList.Add(file);
        }
        else
        {
            psi.FileName = file;
        }
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = new Process { StartInfo = psi };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }
        process.WaitForExit(); // flush async output handlers

        var text = output.ToString();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{psi.FileName} {string.Join(' ', psi.ArgumentList)}' exited with {process.ExitCode}:\n{text}");
        }
        return text;
    }

    /// <summary>Synchronous variant for process-exit handlers, where async work may not get to finish.</summary>
    public static void RunQuietly(string file, IReadOnlyList<string> args, TimeSpan timeout)
    {
        try
        {
            var psi = new ProcessStartInfo { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            if (IsRoot)
            {
                psi.FileName = "runuser";
                foreach (var a in new[] { "-u", PostgresOsUser, "--", file }) psi.ArgumentList.Add(a);
            }
            else
            {
                psi.FileName = file;
            }
            foreach (var arg in args) psi.ArgumentList.Add(arg);
            using var p = Process.Start(psi);
            if (p is null) return;
            // Drain output without blocking on it; we only care that the command ran.
            _ = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            p.WaitForExit(timeout);
        }
        catch (Exception)
        {
            // Best effort only: this runs while the process is exiting.
        }
    }
}
