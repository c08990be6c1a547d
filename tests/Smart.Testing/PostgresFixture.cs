using Xunit;

namespace Smart.Testing;

/// <summary>
/// A real PostgreSQL 15 on a free loopback port with a temp data directory. initdb refuses to run as root, so the
/// cluster belongs to the <c>postgres</c> user (runuser); trust auth on loopback; fsync off (test data is disposable).
/// <see cref="CreateDatabaseAsync"/> gives each test class (or test) its own database.
/// </summary>
public class PostgresFixture : IAsyncLifetime
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private const string User = "postgres";
    private readonly TempDirectory _dir = new();
    private ExternalProcess? _process;
    private int _databases;

    public int Port { get; } = Ports.Free();
    public string DataDirectory => Path.Combine(_dir.Path, "data");
    public string SocketDirectory => Path.Combine(_dir.Path, "sock");
    public string Output => _process?.Output ?? "";
    /// <summary>Keep fsync on (benchmarks measuring durable commits); off by default for fast tests.</summary>
    public bool Fsync { get; init; }

    /// <summary>An Npgsql connection string for <paramref name="database"/>.</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username={User};Database={database};Pooling=true;Maximum Pool Size=40;Timeout=30;Command Timeout=60";

    public virtual async Task InitializeAsync()
    {
        Directory.CreateDirectory(SocketDirectory);
        await RunAsync("/usr/bin/chown", ["-R", $"{User}:{User}", _dir.Path], asUser: false).ConfigureAwait(false);
        await RunAsync(Path.Combine(BinDirectory, "initdb"),
            ["-D", DataDirectory, "-U", User, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]).ConfigureAwait(false);
        _process = ExternalProcess.Start(Path.Combine(BinDirectory, "postgres"),
            ["-D", DataDirectory, "-c", "listen_addresses=127.0.0.1", "-p", Port.ToString(), "-k", SocketDirectory,
             "-c", $"fsync={(Fsync ? "on" : "off")}", "-c", "max_connections=200", "-c", "shared_buffers=64MB"], user: User);
        var p = _process;
        await Eventually.UntilAsync(() => p.HasExited || p.Output.Contains("ready to accept connections", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), $"postgres on port {Port}").ConfigureAwait(false);
        if (p.HasExited) throw new InvalidOperationException($"postgres exited at start:\n{p.Output}");
    }

    /// <summary>Creates a fresh, empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? prefix = null)
    {
        var name = $"{prefix ?? "test"}_{Interlocked.Increment(ref _databases)}".ToLowerInvariant();
        await RunAsync(Path.Combine(BinDirectory, "createdb"), ["-h", "127.0.0.1", "-p", Port.ToString(), "-U", User, name]).ConfigureAwait(false);
        return ConnectionString(name);
    }

    public virtual async Task DisposeAsync()
    {
        if (_process is not null)
        {
            // Fast shutdown: SIGTERM would wait for pooled client connections to go away.
            await RunAsync(Path.Combine(BinDirectory, "pg_ctl"), ["-D", DataDirectory, "stop", "-m", "fast", "-w", "-t", "20"], check: false).ConfigureAwait(false);
            await _process.DisposeAsync().ConfigureAwait(false);
        }
        _dir.Dispose();
    }

    /// <summary>Runs a one-shot tool (as the postgres user unless told otherwise) and fails with its output on a non-zero exit.</summary>
    private static async Task RunAsync(string file, string[] args, bool asUser = true, bool check = true)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(asUser ? "/usr/sbin/runuser" : file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        if (asUser) foreach (var a in new[] { "-u", User, "--", file }) psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        if (check && process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}:\n{await stdout.ConfigureAwait(false)}\n{await stderr.ConfigureAwait(false)}");
    }
}
