using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Enrichment.Models;

/// <summary>
/// One-time process-wide libtorch settings. Safe to call from many places; only the first call acts
/// (except that a later explicit thread count is still applied).
/// </summary>
public static class TorchRuntime
{
    private static readonly object Gate = new();
    private static bool _initialized;

    /// <summary>True when NNPACK was switched off through libtorch's global context.</summary>
    public static bool NnpackDisabled { get; private set; }

    /// <param name="intraOpThreads">libtorch intra-op threads; null means one per core this process may use.
    /// For several concurrent inference workers in one process, 1 per worker is faster than sharing.</param>
    public static void Initialize(int? intraOpThreads = null)
    {
        lock (Gate)
        {
            if (!_initialized)
            {
                PreferPassiveOpenMpWaits();
                // Loads the native libraries; throws a clear NotSupportedException if they cannot be loaded.
                torch.InitializeDeviceType(DeviceType.CPU);
                NnpackDisabled = TryDisableNnpack();
                CapThreadsToUsableCores();
                _initialized = true;
            }
            if (intraOpThreads is > 0)
                torch.set_num_threads(intraOpThreads.Value);
        }
    }

    // libtorch sizes its pool from the host's cores; in a container limited by a CPU quota or affinity mask
    // that oversubscribes the few cores really granted (training slowed by an order of magnitude beside another
    // busy process). .NET's ProcessorCount honours both quota and affinity.
    private static void CapThreadsToUsableCores()
    {
        var usable = Math.Max(1, Environment.ProcessorCount);
        if (torch.get_num_threads() > usable)
            torch.set_num_threads(usable);
    }

    // libgomp's default spin-waiting is disastrous when the cores are shared (other builds, several model
    // workers): measured on 2 cores under load, ResNet-50 batch-1 inference went from 3.6 to 36.6 img/s
    // with OMP_WAIT_POLICY=PASSIVE. libgomp reads the variable once when libtorch is loaded, so it must be
    // in the native environment before the first torch call; an explicit user setting wins (overwrite = 0).
    private static void PreferPassiveOpenMpWaits()
    {
        if (!OperatingSystem.IsLinux()) return;
        try { _ = setenv("OMP_WAIT_POLICY", "PASSIVE", 0); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    // TorchSharp exposes no torch.backends.nnpack switch. On CPUs without NNPACK support libtorch prints
    // "Could not initialize NNPACK" for every convolution, so we call at::Context::setUserEnabledNNPACK(false)
    // in libtorch_cpu directly (Itanium ABI: member function = free function taking `this` first).
    private static unsafe bool TryDisableNnpack()
    {
        if (!OperatingSystem.IsLinux()) return false;
        if (!TryLoadTorchCpu(out var lib)) return false;
        if (!NativeLibrary.TryGetExport(lib, "_ZN2at13globalContextEv", out var globalContext)) return false;
        if (!NativeLibrary.TryGetExport(lib, "_ZN2at7Context20setUserEnabledNNPACKEb", out var setNnpack)) return false;
        var ctx = ((delegate* unmanaged<IntPtr>)globalContext)();
        ((delegate* unmanaged<IntPtr, byte, void>)setNnpack)(ctx, 0);
        return true;
    }

    private static bool TryLoadTorchCpu(out IntPtr handle)
    {
        // Already loaded by TorchSharp, so dlopen by soname returns the same instance.
        if (NativeLibrary.TryLoad("libtorch_cpu.so", out handle)) return true;
        foreach (var dir in new[]
                 {
                     AppContext.BaseDirectory,
                     Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native"),
                     Path.GetDirectoryName(typeof(torch).Assembly.Location) ?? "",
                 })
        {
            var p = Path.Combine(dir, "libtorch_cpu.so");
            if (File.Exists(p) && NativeLibrary.TryLoad(p, out handle)) return true;
        }
        return false;
    }
}
