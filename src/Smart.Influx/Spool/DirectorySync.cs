using System.Runtime.InteropServices;

namespace Smart.Influx.Spool;

/// <summary>
/// fsync of a directory, so a new segment file's name survives a power loss, not only its bytes (POSIX: fsync on
/// the file does not persist its directory entry). .NET has no API for it; on non-Linux systems it is skipped.
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY on Linux

    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux()) return;
        var fd = open(directory, ReadOnlyDirectory);
        if (fd < 0) throw new IOException($"Cannot open spool directory {directory} to fsync it (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (fsync(fd) != 0) throw new IOException($"fsync of spool directory {directory} failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally
        {
            _ = close(fd);
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
