using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Smart.Testing;

/// <summary>A server process started by a fixture: output captured for failure messages, killed on dispose.</summary>
public sealed partial class ExternalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ExternalProcess(Process process) => _process = process;

    /// <summary>Servers still running when the test process exits (a fixture whose disposal did not run or finish) are
    /// killed then, so no mosquitto or influxd outlives its test run. (A SIGKILLed test process cannot do this.)</summary>
    private static readonly ConcurrentDictionary<ExternalProcess, byte> Running = new();

    static ExternalProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var p in Running.Keys)
        {
            try { p.Kill(); }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { /* already gone */ }
        }
    };

    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public string Output => string.Join('\n', _output.TakeLast(60));

    public static ExternalProcess Start(string fileName, IEnumerable<string> args, string? user = null, IDictionary<string, string>? env = null)
    {
        if (!File.Exists(fileName))
            throw new InvalidOperationException($"{fileName} is missing. Run ./smart test (it installs mosquitto, influxdb, postgresql and chromium), or apt-get install the package that provides it.");
        var psi = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (user is null)
        {
            psi.FileName = fileName;
        }
        else
        {
            psi.FileName = "/usr/sbin/runuser";
            foreach (var a in new[] { "-u", user, "--", fileName }) psi.ArgumentList.Add(a);
        }
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var result = new ExternalProcess(process);
        process.OutputDataReceived += (_, e) => result.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => result.Capture(e.Data);
        process.Start();
        Running.TryAdd(result, 0);
        process.Exited += (_, _) => Running.TryRemove(result, out _);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    private void Capture(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        while (_output.Count > 500) _output.TryDequeue(out _);
    }

    /// <summary>SIGTERM, then wait for a clean exit (SIGKILL after the timeout).</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (_process.HasExited) return;
        _ = kill(_process.Id, 15);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try { await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false); }
        catch (OperationCanceledException) { Kill(); }
    }

    /// <summary>SIGKILL: a crash, for fault tests.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        Running.TryRemove(this, out _);
        _process.Dispose();
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
