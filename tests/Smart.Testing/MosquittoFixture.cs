using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

using Xunit;

namespace Smart.Testing;

/// <summary>
/// A real mosquitto on a free loopback port with a temp data directory. Anonymous by default; call
/// <see cref="AddUser"/> / <see cref="Acl"/> before <see cref="InitializeAsync"/> for an authenticated broker.
/// Persistent (sessions and queued messages survive <see cref="RestartAsync"/>), unlimited queue.
/// </summary>
public class MosquittoFixture : IAsyncLifetime
{
    public const string Binary = "/usr/sbin/mosquitto";
    private readonly TempDirectory _dir = new();
    private readonly Dictionary<string, string> _users = new();
    private ExternalProcess? _process;

    public int Port { get; } = Ports.Free();
    public string Host => "127.0.0.1";
    public string Url => $"mqtt://127.0.0.1:{Port}";
    public string DataDirectory => _dir.Path;
    /// <summary>ACL file text (mosquitto syntax). Null: no ACL.</summary>
    public string? Acl { get; set; }
    /// <summary>Extra lines appended to the generated mosquitto.conf (TLS listeners etc.).</summary>
    public List<string> ExtraConfig { get; } = [];
    public string Output => _process?.Output ?? "";
    /// <summary>Persist sessions and queued messages (default). Benchmarks turn it off: saving the database every
    /// second costs broker CPU unrelated to the client under test.</summary>
    public bool Persistence { get; set; } = true;
    /// <summary>The broker's process id (for SIGSTOP / SIGCONT fault tests).</summary>
    public int Pid => _process?.Pid ?? throw new InvalidOperationException("mosquitto is not running.");

    public void AddUser(string username, string password) => _users[username] = password;

    /// <summary>TLS listener port after <see cref="AddTlsListener"/>; null otherwise.</summary>
    public int? TlsPort { get; private set; }
    /// <summary>The self-signed server certificate of the TLS listener (CN=localhost, SAN localhost + 127.0.0.1).</summary>
    public X509Certificate2? TlsCertificate { get; private set; }

    /// <summary>Adds a TLS listener with a fresh self-signed certificate. Call before <see cref="InitializeAsync"/>.</summary>
    public void AddTlsListener()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        var now = DateTimeOffset.UtcNow;
        TlsCertificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        File.WriteAllText(_dir.File("server.crt"), TlsCertificate.ExportCertificatePem());
        File.WriteAllText(_dir.File("server.key"), key.ExportPkcs8PrivateKeyPem());
        TlsPort = Ports.Free();
        ExtraConfig.Add($"listener {TlsPort} 127.0.0.1");
        ExtraConfig.Add($"certfile {_dir.File("server.crt")}");
        ExtraConfig.Add($"keyfile {_dir.File("server.key")}");
    }

    public virtual async Task InitializeAsync() => await StartAsync().ConfigureAwait(false);

    public async Task StartAsync()
    {
        var conf = new StringBuilder()
            .AppendLine("user root")
            .AppendLine("per_listener_settings false")
            .AppendLine($"listener {Port} 127.0.0.1")
            .AppendLine($"persistence {(Persistence ? "true" : "false")}")
            .AppendLine($"persistence_location {_dir.Path}/")
            .AppendLine("autosave_interval 1")
            .AppendLine("max_queued_messages 0")
            .AppendLine("max_inflight_messages 0")
            .AppendLine("log_dest stdout")
            .AppendLine("log_type error")
            .AppendLine("log_type warning")
            .AppendLine("log_type notice");
        if (_users.Count > 0)
        {
            var passwd = _dir.File("passwd");
            await File.WriteAllLinesAsync(passwd, _users.Select(u => $"{u.Key}:{u.Value}")).ConfigureAwait(false);
            await RunAsync("/usr/bin/mosquitto_passwd", "-U", passwd).ConfigureAwait(false);
            conf.AppendLine("allow_anonymous false").AppendLine($"password_file {passwd}");
        }
        else
        {
            conf.AppendLine("allow_anonymous true");
        }
        if (Acl is not null)
        {
            var acl = _dir.File("acl");
            await File.WriteAllTextAsync(acl, Acl).ConfigureAwait(false);
            conf.AppendLine($"acl_file {acl}");
        }
        foreach (var line in ExtraConfig) conf.AppendLine(line);
        var confPath = _dir.File("mosquitto.conf");
        await File.WriteAllTextAsync(confPath, conf.ToString()).ConfigureAwait(false);
        _process = ExternalProcess.Start(Binary, ["-c", confPath]);
        var p = _process;
        await Eventually.UntilAsync(async () => p.HasExited || await Ports.AcceptsAsync(Port).ConfigureAwait(false),
            TimeSpan.FromSeconds(20), $"mosquitto on port {Port}").ConfigureAwait(false);
        if (p.HasExited) throw new InvalidOperationException($"mosquitto exited at start:\n{p.Output}");
    }

    /// <summary>Graceful stop (SIGTERM: persistence is written).</summary>
    public Task StopAsync() => _process?.StopAsync() ?? Task.CompletedTask;

    /// <summary>SIGKILL: the broker dies without a goodbye.</summary>
    public void Kill() => _process?.Kill();

    public async Task RestartAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await StartAsync().ConfigureAwait(false);
    }

    public virtual async Task DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync().ConfigureAwait(false);
        _dir.Dispose();
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var p = ExternalProcess.Start(file, args);
        await Eventually.UntilAsync(() => p.HasExited, TimeSpan.FromSeconds(60), $"{file} to finish").ConfigureAwait(false);
        await p.DisposeAsync().ConfigureAwait(false);
    }
}
