namespace Smart.Host.Infrastructure;

/// <summary>
/// Where the bridge finds the broker and InfluxDB: the configured external services, or the embedded ones once
/// <see cref="EmbeddedInfrastructureService"/> has started them. <see cref="Ready"/> completes then.
/// </summary>
public sealed class Endpoints
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string MqttUrl { get; internal set; } = "";
    public string? MqttUsername { get; internal set; }
    public string? MqttPassword { get; internal set; }
    public string InfluxUrl { get; internal set; } = "";
    public string DataDirectory { get; internal set; } = "";
    public Task Ready => _ready.Task;

    internal void MarkReady() => _ready.TrySetResult();
    internal void MarkFailed(Exception e) => _ready.TrySetException(e);
}
