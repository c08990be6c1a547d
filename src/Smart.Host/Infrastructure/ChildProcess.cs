using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Smart.Host.Infrastructure;

/// <summary>
/// A server the host spawns (mosquitto, influxd). Its pid is written next to its data so that a host that died
/// without cleaning up (SIGKILL) does not leave an orphan holding the port: the next start stops it first.
/// </summary>
internal sealed partial class ChildProcess(string name, string pidFile, ILogger logger) : IAsyncDisposable
{
    private Process? _process;

    public bool HasExited => _process?.HasExited ?? true;

    public void Start(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (!File.Exists(fileName))
            throw new InvalidOperationException($"{name}: {fileName} not found. Run ./smart run (it installs it) or apt-get install {name}.");
        var psi = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (environment is not null) foreach (var (k, v) in environment) psi.Environment[k] = v;
        _process = Process.Start(psi) ?? throw new InvalidOperationException($"{name}: could not start {fileName}");
        _process.OutputDataReceived += (_, e) => Log(e.Data);
        _process.ErrorDataReceived += (_, e) => Log(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        File.WriteAllText(pidFile, $"{_process.Id}\n{fileName}\n");
        logger.LogInformation("Started {Name} (pid {Pid})", name, _process.Id);
    }

    /// <summary>Waits until <paramref name="ready"/> says so; fails fast if the process exits, after 30 s otherwise.</summary>
    public async Task WaitReadyAsync(Func<Task<bool>> ready, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await ready())
        {
            if (HasExited) throw new InvalidOperationException($"{name} exited during start-up; see its log lines above.");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{name} did not become ready within 30 s; see its log lines above.");
            await Task.Delay(100, ct);
        }
    }

    /// <summary>Sends SIGHUP (mosquitto: reload password and ACL files).</summary>
    public void Reload()
    {
        if (_process is { HasExited: false }) _ = kill(_process.Id, 1);
    }

    public async ValueTask DisposeAsync()
    {
        // Idempotent: the DI container may dispose the owning service more than once.
        var process = Interlocked.Exchange(ref _process, null);
        if (process is null) return;
        if (!process.HasExited)
        {
            _ = kill(process.Id, 15); // SIGTERM: both servers flush and persist on it
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try { await process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException)
            {
                logger.LogWarning("{Name} did not stop within 20 s; killing it", name);
                process.Kill(entireProcessTree: true);
            }
        }
        logger.LogInformation("Stopped {Name}", name);
        File.Delete(pidFile);
        process.Dispose();
    }

    /// <summary>Stops an instance an earlier, crashed host left behind (it would hold our port and data).</summary>
    public void StopStale()
    {
        if (!File.Exists(pidFile)) return;
        var lines = File.ReadAllLines(pidFile);
        if (lines.Length >= 2 && int.TryParse(lines[0], out var pid) && IsSameProgram(pid, lines[1]))
        {
            logger.LogWarning("{Name} from an earlier run (pid {Pid}) is still running; stopping it", name, pid);
            _ = kill(pid, 15);
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (IsSameProgram(pid, lines[1]) && DateTime.UtcNow < deadline) Thread.Sleep(100);
            if (IsSameProgram(pid, lines[1])) _ = kill(pid, 9);
        }
        File.Delete(pidFile);
    }

    private static bool IsSameProgram(int pid, string fileName)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").StartsWith(fileName, StringComparison.Ordinal); }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    private void Log(string? line)
    {
        if (string.IsNullOrWhiteSpace(line)) return;
        // influxd logs every service start at lvl=info: keep those out of the operator's console.
        if (line.Contains("lvl=info", StringComparison.Ordinal)) logger.LogDebug("[{Name}] {Line}", name, line);
        else logger.LogInformation("[{Name}] {Line}", name, line);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
