using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Enrichment.Client.Ingest;

/// <summary>
/// Opens a file for reading only if it is a regular file. A FIFO, socket or device named as an image must never be
/// read: opening a FIFO for reading waits for a writer that may never come (the ingest CLI hung there), and a device
/// may never end. On Linux the file is opened non-blocking (so a FIFO cannot make the open wait) and its type is read
/// from the open descriptor (statx), so no other file can be swapped in between the check and the read.
/// </summary>
public static class RegularFile
{
    private const int ORdOnly = 0, ONonBlock = 0x800, OCloExec = 0x80000; // Linux (x64 and arm64)
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1;
    private const int StatxModeOffset = 28, StatxSize = 256;
    private const int SIfMt = 0xF000, SIfReg = 0x8000;

    /// <summary>The open file, or why it is not one to read.</summary>
    public static (FileStream? Stream, string? Problem) OpenRead(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            // Elsewhere the attributes tell a device; FIFOs in image folders are a Unix matter.
            return File.GetAttributes(path).HasFlag(FileAttributes.Device) ? (null, NotRegular(path))
                : (new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, useAsync: true), null);
        }
        var fd = Open(path, ORdOnly | ONonBlock | OCloExec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return (null, errno == 2 ? $"image file not found: {Path.GetFileName(path)}" : $"image file could not be opened (errno {errno})");
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        var status = new byte[StatxSize];
        if (Statx(fd, "", AtEmptyPath, StatxType, status) != 0 || (BitConverter.ToUInt16(status, StatxModeOffset) & SIfMt) != SIfReg)
        {
            handle.Dispose();
            return (null, NotRegular(path));
        }
        // O_NONBLOCK means nothing for a regular file's reads.
        return (new FileStream(handle, FileAccess.Read, bufferSize: 1), null);
    }

    private static string NotRegular(string path) => $"image '{Path.GetFileName(path)}' is not a regular file (a FIFO, socket or device is never read)";

    // DllImport (not LibraryImport): no unsafe code in this project; both signatures are blittable apart from the path.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
}
