using System.Security.Cryptography;
using System.Text;
using Smart.Benchmarks;
using Smart.Core;
using Smart.Detection.Evaluation;
using Xunit.Abstractions;

namespace Smart.Detection.Tests;

/// <summary>Pins everything the engine outputs — every score (bits of score, value, expected), detector, reason, alert
/// and command, in order — on firmware-sim traffic with scenarios injected, through a save and restore of the state
/// half-way. Optimisations of the detectors must leave it bit-identical; a change that is meant to alter detection
/// updates the digest (and says why). The digest was taken on linux-x64 (.NET 10); <c>Math.Cbrt</c>/<c>Math.Pow</c>
/// come from the platform's libm, so another platform may differ in the last bit.</summary>
public class OutputDigestTests(ITestOutputHelper output)
{
    private const string Pinned = "AD5736E9F6145A37EDE85AFD25F31F515B758598F0A27EBC3883912E116B6578";

    [Fact]
    public void Engine_outputs_on_simulated_traffic_match_the_pinned_digest()
    {
        var (messages, counts, digest) = Digest(seed: 31, hours: 3);
        output.WriteLine($"{messages} messages, {counts.Scores} scores, {counts.Alerts} alerts, {counts.Commands} commands, digest {digest}");
        Assert.True(messages > 50_000, $"only {messages} messages");
        Assert.True(counts.Alerts > 20 && counts.Commands > 0, "the scenarios should raise alerts and a command");
        Assert.Equal(Pinned, digest);
    }

    /// <summary>SHA-256 over every output of the engine fed <paramref name="hours"/> of the whole demo district with every
    /// short scenario injected (one per 10 min after 30 min), <c>CheckSilence</c> every 30 simulated s.</summary>
    internal static (int Messages, (int Scores, int Alerts, int Commands) Counts, string Digest) Digest(int seed, double hours)
    {
        var (traffic, buildings) = DetectScenarios.Start(seed, [.. DetectScenarios.Short, "sensor-stuck"], warmupMs: 30 * 60_000, everyMs: 10 * 60_000);
        var all = DetectScenarios.Messages(traffic, DetectScenarios.StartMs + (long)(hours * DetectScenarios.HourMs)).ToList();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var engine = new DetectionEngine();
        var counts = (Scores: 0, Alerts: 0, Commands: 0);
        long nextSilence = all[0].ReceivedMs + 30_000;
        for (var i = 0; i < all.Count; i++)
        {
            var m = all[i];
            if (i == all.Count / 2) engine = Restored(engine);
            for (; m.ReceivedMs >= nextSilence; nextSilence += 30_000) Add(hash, engine.CheckSilence(nextSilence), ref counts);
            if (!DeviceTopic.TryParse(m.Topic, out var topic, out _)) continue;
            var building = buildings.GetValueOrDefault(topic.DeviceId) ?? "unknown";
            var result = topic.Channel switch
            {
                TopicChannel.Telemetry => engine.Process(PayloadReader.ToReading(topic.Kind, topic.DeviceId, building, m.ReceivedMs, m.PayloadJson)),
                TopicChannel.Event => engine.ProcessEvent(PayloadReader.ToEvent(topic.Kind, topic.DeviceId, building, m.ReceivedMs, m.PayloadJson)),
                _ => DetectionResult.Empty,
            };
            Add(hash, result, ref counts);
        }
        return (all.Count, counts, Convert.ToHexString(hash.GetHashAndReset()));
    }

    private static DetectionEngine Restored(DetectionEngine engine)
    {
        using var saved = new MemoryStream();
        engine.SaveState(saved);
        saved.Position = 0;
        var restored = new DetectionEngine();
        restored.LoadState(saved);
        return restored;
    }

    private static void Add(IncrementalHash hash, DetectionResult r, ref (int Scores, int Alerts, int Commands) counts)
    {
        counts = (counts.Scores + r.Scores.Count, counts.Alerts + r.Alerts.Count, counts.Commands + r.Commands.Count);
        var sb = new StringBuilder();
        foreach (var s in r.Scores)
            sb.Append($"S|{s.DeviceId}|{s.Kind}|{s.Metric}|{s.Detector}|{Bits(s.Score)}|{Bits(s.Value)}|{Bits(s.Expected)}|{s.TimestampMs}|{s.Reason}\n");
        foreach (var a in r.Alerts)
            sb.Append($"A|{a.DeviceId}|{a.Kind}|{a.BuildingId}|{a.IncidentType}|{a.Severity}|{a.Metric}|{Bits(a.Value)}|{a.Reason}|{a.TimestampMs}\n");
        foreach (var c in r.Commands) sb.Append($"C|{c.DeviceId}|{c.Kind}|{c.PayloadJson}|{c.Reason}\n");
        hash.AppendData(Encoding.UTF8.GetBytes(sb.ToString()));
    }

    private static long Bits(double v) => BitConverter.DoubleToInt64Bits(v);
}
