using TorchSharp;
using static TorchSharp.torch;

namespace Enrichment.Models;

public static class TorchDevices
{
    /// <summary>
    /// "cuda" or null/"auto": CUDA when available, else CPU. "cpu": always CPU.
    /// Never throws for a missing GPU so a CPU-only silo can run the same configuration.
    /// </summary>
    public static Device Select(string? requested)
    {
        TorchRuntime.Initialize();
        var r = requested?.Trim().ToLowerInvariant();
        if (r == "cpu") return CPU;
        if (r is null or "" or "auto" or "cuda" || r.StartsWith("cuda:"))
        {
            bool available;
            try { available = torch.cuda.is_available(); }
            catch (Exception) { available = false; }
            if (available) return r is not null && r.StartsWith("cuda:") ? new Device(r) : CUDA;
            return CPU;
        }
        throw new ArgumentException($"Unknown device '{requested}'. Use 'cuda', 'cpu' or leave empty for auto.", nameof(requested));
    }
}
