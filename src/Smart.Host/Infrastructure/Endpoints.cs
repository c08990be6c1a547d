namespace Smart.Host.Infrastructure;

/// <summary>
/// Where the bridge finds the broker and InfluxDB: the configured external services, or the embedded ones once
/// <see cref="EmbeddedInfrastructureService"/> has started them. <see cref="Ready"/> completes then.
/// </summary>
public sealed class Endpoints(string dataDirectory)
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string MqttUrl { get; internal set; } = "";
    public string? MqttUsername { get; internal set; }
    public string? MqttPassword { get; internal set; }
    public string InfluxUrl { get; internal set; } = "";
    /// <summary>Data of the embedded servers, SQLite and the spool (Embedded:DataDirectory, resolved, created).</summary>
    public string DataDirectory { get; } = Directory.CreateDirectory(dataDirectory).FullName;
    public Task Ready => _ready.Task;

    internal void MarkReady() => _ready.TrySetResult();
    internal void MarkFailed(Exception e) => _ready.TrySetException(e);
}
