using FirmwareSim.Engine;
using FirmwareSim.Firmware;
using FirmwareSim.Registry;
using FirmwareSim.Scenarios;
using FirmwareSim.Transport;

namespace FirmwareSim;

/// <summary>What a <see cref="Simulator"/> plays and where it connects.</summary>
public sealed class SimulatorOptions
{
    public string BrokerUrl { get; set; } = "mqtt://127.0.0.1:1883";
    public int Seed { get; set; } = 1;
    /// <summary>Simulated seconds per wall-clock second.</summary>
    public double Speed { get; set; } = 1;
    /// <summary>Simulated start; null means now.</summary>
    public DateTimeOffset? Start { get; set; }
    /// <summary>The devices to play; null means the whole demo district.</summary>
    public IReadOnlyList<SimDevice>? Devices { get; set; }
    /// <summary>Multiplies every sampling interval (0.1 = ten times the normal rate).</summary>
    public double IntervalScale { get; set; } = 1;
    public bool AtLeastOnce { get; set; } = true;
    public int BufferCapacity { get; set; } = 2000;
    public string? ScenarioDirectory { get; set; }
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan ReconnectMin { get; set; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan ReconnectMax { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>A message as the simulator handed it to a device (for latency measurement and tests).</summary>
public sealed record SimulatedMessage(long SimMs, string DeviceId, string Topic, ReadOnlyMemory<byte> Payload, bool Invalid);

/// <summary>
/// The firmware simulator as a library: plays a fleet of devices against a broker, injects scenarios and reports
/// their ground truth. The CLI modes and the end-to-end tests drive it.
/// </summary>
public sealed class Simulator : IAsyncDisposable
{
    private readonly FleetRunner _runner;
    private bool _started, _stopped;

    public Simulator(SimulatorOptions options) : this(options, new SmartMqttLinkFactory()) { }

    internal Simulator(SimulatorOptions options, IMqttLinkFactory factory)
    {
        Options = options;
        Devices = options.Devices ?? DeviceRegistry.Demo();
        Scenarios = ScenarioLibrary.Load(options.ScenarioDirectory);
        var start = (options.Start ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds();
        var engine = new TrafficEngine(Devices, options.Seed, start, options.IntervalScale);
        var fleet = new FleetOptions
        {
            BrokerUrl = options.BrokerUrl, Seed = options.Seed, AtLeastOnce = options.AtLeastOnce,
            BufferCapacity = options.BufferCapacity, ReconnectMin = options.ReconnectMin, ReconnectMax = options.ReconnectMax,
        };
        _runner = new FleetRunner(engine, new SimClock(start, options.Speed), factory, fleet);
        _runner.Dispatched += m => Dispatched?.Invoke(new SimulatedMessage(m.SimMs, Devices[m.Device].Id, m.Topic, m.Payload, m.Invalid));
    }

    public SimulatorOptions Options { get; }
    public IReadOnlyList<SimDevice> Devices { get; }
    public ScenarioLibrary Scenarios { get; }
    public SimStats Stats => _runner.Stats;
    public SimClock Clock => _runner.Clock;
    public int ConnectedDevices => _runner.Connected;
    public int BufferedMessages => _runner.Buffered;
    /// <summary>Raised for every message handed to a device, on the pacing thread: keep handlers short.</summary>
    public event Action<SimulatedMessage>? Dispatched;

    /// <summary>Connects every device (waits up to <see cref="SimulatorOptions.ConnectTimeout"/>) and starts simulated time.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        if (_started) throw new InvalidOperationException("The simulator is already started.");
        _started = true;
        await _runner.StartAsync(Options.ConnectTimeout, ct).ConfigureAwait(false);
    }

    /// <summary>Schedules a scenario <paramref name="after"/> from the simulated now (default: at once) on the given or reproducibly picked devices.</summary>
    public ScenarioInstance Inject(string scenario, TimeSpan? after = null, IReadOnlyList<string>? deviceIds = null) =>
        Inject(Scenarios[scenario], after, deviceIds);

    public ScenarioInstance Inject(ScenarioDefinition scenario, TimeSpan? after = null, IReadOnlyList<string>? deviceIds = null)
    {
        var now = Clock.Running ? Clock.NowMs : Clock.StartMs;
        return _runner.Inject(scenario, now + (long)(after ?? TimeSpan.Zero).TotalMilliseconds, deviceIds);
    }

    /// <summary>Schedules a scenario at an absolute simulated instant (ms since epoch).</summary>
    public ScenarioInstance InjectAt(ScenarioDefinition scenario, long onsetMs, IReadOnlyList<string>? deviceIds = null) =>
        _runner.Inject(scenario, onsetMs, deviceIds);

    /// <summary>Injects a scenario and returns when it has ended in simulated time.</summary>
    public async Task<ScenarioInstance> RunScenarioAsync(string scenario, IReadOnlyList<string>? deviceIds = null,
        TimeSpan? after = null, CancellationToken ct = default)
    {
        var instance = Inject(scenario, after, deviceIds);
        await WaitUntilAsync(instance.EndMs, ct).ConfigureAwait(false);
        return instance;
    }

    /// <summary>Waits (wall clock) until simulated time reaches <paramref name="simMs"/>.</summary>
    public async Task WaitUntilAsync(long simMs, CancellationToken ct = default)
    {
        while (Clock.NowMs < simMs)
            await Task.Delay(Clock.WallUntil(simMs) + TimeSpan.FromMilliseconds(5), ct).ConfigureAwait(false);
    }

    public IReadOnlyList<GroundTruthRow> GroundTruth() => _runner.GroundTruth();

    public Task WriteGroundTruthAsync(string path, CancellationToken ct = default) => FirmwareSim.Scenarios.GroundTruth.WriteAsync(path, GroundTruth(), ct);

    /// <summary>Stops producing, lets buffered messages drain, publishes each device's offline status and disconnects.</summary>
    public async Task StopAsync(TimeSpan? drainTimeout = null)
    {
        if (!_started || _stopped) return;
        _stopped = true;
        await _runner.StopAsync(drainTimeout ?? TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
