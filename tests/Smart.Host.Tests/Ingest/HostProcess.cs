using Smart.Testing;

namespace Smart.Host.Tests.Ingest;

/// <summary>
/// The built host (<c>src/Smart.Host/bin/{Config}/net10.0/Smart.Host.dll</c>) as its own OS process, configured by
/// environment variables, so a test can SIGKILL it and start it again on the same data directory and MQTT session.
/// </summary>
public sealed class HostProcess(IReadOnlyDictionary<string, string> environment) : IAsyncDisposable
{
    private ExternalProcess? _process;

    public bool HasExited => _process?.HasExited ?? true;
    public string Output => _process?.Output ?? "";

    public static string DllPath
    {
        get
        {
            // tests/Smart.Host.Tests/bin/{Config}/net10.0/ → the host built with the same configuration.
            var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
            var config = bin.Parent!.Name;
            var root = bin;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Smart.sln"))) root = root.Parent;
            if (root is null) throw new InvalidOperationException($"Smart.sln not found above {AppContext.BaseDirectory}");
            var dll = Path.Combine(root.FullName, "src", "Smart.Host", "bin", config, "net10.0", "Smart.Host.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build src/Smart.Host ({config}) first.");
        }
    }

    public void Start()
    {
        var dll = DllPath;
        _process = ExternalProcess.Start(DotnetPath(), [dll, "--contentRoot", Path.GetDirectoryName(dll)!],
            env: new Dictionary<string, string>(environment) { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });
    }

    /// <summary>SIGKILL: the host dies mid-batch, without flushing or disconnecting.</summary>
    public void Kill() => _process?.Kill();

    public async ValueTask DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
    }

    private static string DotnetPath() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } p && File.Exists(p) ? p : "/usr/bin/dotnet";
}
