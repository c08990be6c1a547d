using FirmwareSim.Engine;
using FirmwareSim.Scenarios;
using FirmwareSim.Transport;

namespace FirmwareSim.Firmware;

/// <summary>
/// Drives the fleet in (possibly accelerated) real time: every tick it advances the traffic engine to the simulated
/// now and hands each device its messages; each <see cref="DeviceAgent"/> delivers them over its own MQTT session.
/// </summary>
internal sealed class FleetRunner
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);
    private readonly TrafficEngine _engine;
    private readonly DeviceAgent[] _agents;
    private readonly List<SimMessage> _tickBuffer = [];
    private readonly CancellationTokenSource _stop = new();
    private Task[] _agentLoops = [];
    private Task? _pacer;

    public FleetRunner(TrafficEngine engine, SimClock clock, IMqttLinkFactory factory, FleetOptions options)
    {
        _engine = engine;
        Clock = clock;
        _agents = engine.Registry.Select((d, i) => new DeviceAgent(i, d, factory, options, Stats, OnCommand)).ToArray();
    }

    public SimClock Clock { get; }
    public SimStats Stats { get; } = new();
    public IReadOnlyList<DeviceAgent> Agents => _agents;
    public int Connected => _agents.Count(a => a.Connected);
    public int Buffered => _agents.Sum(a => a.Buffered);
    /// <summary>Raised (on the pacing thread) for each message as it is handed to its device.</summary>
    public event Action<SimMessage>? Dispatched;

    /// <summary>Connects the fleet (waiting up to <paramref name="connectTimeout"/>), then starts the clock.</summary>
    public async Task StartAsync(TimeSpan connectTimeout, CancellationToken ct = default)
    {
        _agentLoops = _agents.Select(a => Task.Run(() => a.RunAsync(_stop.Token), CancellationToken.None)).ToArray();
        foreach (var loop in _agentLoops)
            _ = loop.ContinueWith(t => Interlocked.Increment(ref Stats._faults), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        var deadline = DateTime.UtcNow + connectTimeout;
        while (Connected < _agents.Length && DateTime.UtcNow < deadline) await Task.Delay(20, ct).ConfigureAwait(false);
        Clock.Start();
        _pacer = Task.Run(() => PaceAsync(_stop.Token), CancellationToken.None);
    }

    public ScenarioInstance Inject(ScenarioDefinition scenario, long onsetMs, IReadOnlyList<string>? deviceIds = null)
    {
        lock (_engine) return _engine.Inject(scenario, onsetMs, deviceIds);
    }

    public IReadOnlyList<GroundTruthRow> GroundTruth()
    {
        lock (_engine) return _engine.GroundTruth().ToList();
    }

    /// <summary>Stops producing, waits (bounded) for buffers to drain, then disconnects every device cleanly.</summary>
    public async Task StopAsync(TimeSpan drainTimeout)
    {
        if (_stopped) return;
        _stopped = true;
        if (_pacer is { } pacer)
        {
            _producing = false;
            await pacer.ConfigureAwait(false);
            foreach (var a in _agents) a.EndOutage(); // a device in a simulated radio outage gets to forward what it kept
            var deadline = DateTime.UtcNow + drainTimeout;
            while (Buffered > 0 && Connected > 0 && DateTime.UtcNow < deadline) await Task.Delay(20).ConfigureAwait(false);
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_agentLoops).ConfigureAwait(false);
        await Parallel.ForEachAsync(_agents, new ParallelOptions { MaxDegreeOfParallelism = 32 },
            async (a, _) => await a.ShutdownAsync().ConfigureAwait(false)).ConfigureAwait(false);
    }

    private volatile bool _producing = true;
    private bool _stopped;

    private async Task PaceAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Tick);
        while (_producing && !ct.IsCancellationRequested)
        {
            lock (_engine) _engine.Advance(Clock.NowMs, _tickBuffer);
            Dispatch(_tickBuffer);
            try { await timer.WaitForNextTickAsync(ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
        }
    }

    private void OnCommand(int device, ReadOnlyMemory<byte> payload)
    {
        var output = new List<SimMessage>();
        lock (_engine) _engine.Command(device, payload.Span, Clock.NowMs, output);
        Dispatch(output);
    }

    private void Dispatch(List<SimMessage> messages)
    {
        foreach (var m in messages)
        {
            _agents[m.Device].Deliver(m);
            Dispatched?.Invoke(m);
        }
        messages.Clear();
    }
}
