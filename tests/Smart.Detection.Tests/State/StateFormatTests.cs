using Smart.Detection.State;

namespace Smart.Detection.Tests.State;

/// <summary>State files of format 3 (detectors, high-score runs and repetition trackers in three tables by detector key
/// such as <c>temp_c@2</c>, the ports' rules and gates between them) load into format 4's per-metric slots with nothing
/// lost: the restored engine continues exactly like the one that saved.</summary>
public class StateFormatTests
{
    [Fact]
    public void A_version_3_state_file_restores_an_engine_that_continues_identically()
    {
        var rng = new Random(3);
        var stream = Enumerable.Range(0, 3000).Select(i => i % 3 == 2
            ? Readings.Fire("F1", Readings.T0 + i * 5_000L, 0.02, Math.Round(22 + rng.NextDouble() * 0.2, 2), 1)
            : Readings.Charger("C1", Readings.T0 + i * 5_000L, i > 2400 ? "full" : "charging",
                temp: Math.Round(30 + rng.NextDouble(), 1), current: i % 3 == 0 ? Math.Round(8 + rng.NextDouble(), 2) : 2.0, port: 1 + i % 3)).ToList();
        var a = new DetectionEngine();
        foreach (var r in stream.Take(2000)) a.Process(r);
        using var saved = new MemoryStream();
        a.SaveState(saved);
        var b = new DetectionEngine();
        b.LoadState(new MemoryStream(AsVersion3(saved.ToArray(), b.Options)));

        foreach (var r in stream.Skip(2000))
        {
            var x = a.Process(r);
            var y = b.Process(r);
            Assert.Equal(x.Scores, y.Scores);
            Assert.Equal(x.Alerts, y.Alerts);
        }
    }

    /// <summary>Rewrites a format-6 state in format 3's layout (rule histories of 32 samples: the newest 32, enough for
    /// the rules' 5-minute windows at this stream's 15-s spacing).</summary>
    private static byte[] AsVersion3(byte[] version4, DetectionOptions options)
    {
        using var r = new BinaryReader(new MemoryStream(version4));
        using var output = new MemoryStream();
        using var w = new BinaryWriter(output);
        w.Write(r.ReadBytes(4));
        Assert.Equal(6, r.ReadInt32());
        w.Write(3);
        var devices = r.ReadInt32();
        w.Write(devices);
        for (var i = 0; i < devices; i++) WriteVersion3(w, DeviceState.Read(r, m => options.Statistical.Resolution.GetValueOrDefault(m), 6));
        w.Write(r.ReadBytes(version4.Length - (int)r.BaseStream.Position)); // the fire correlator, unchanged
        w.Flush();
        return output.ToArray();
    }

    private static void WriteVersion3(BinaryWriter w, DeviceState s)
    {
        w.Write(s.DeviceId); w.Write((int)s.Kind); w.Write(s.BuildingId);
        w.Write(s.LastSeenMs); w.Write(s.IntervalMs); w.Write(s.OfflineSinceMs); w.Write(s.OfflineRaised); w.Write(s.LastSensorAnomalyMs);
        WriteRules32(w, s.Rules);
        s.Gate.Write(w);
        var slots = s.Metrics.Select(m => (Key: m.Key, Slot: m.Value))
            .Concat(s.Ports.SelectMany(p => p.Value.Metrics.Select(m => (Key: DeviceState.KeyOf(m.Key, p.Key), Slot: m.Value)))).ToList();
        w.Write(slots.Count);
        foreach (var (key, slot) in slots) { w.Write(key); slot.Write(w); }
        var high = slots.Where(m => m.Slot.HighRun != 0).ToList();
        w.Write(high.Count);
        foreach (var (key, slot) in high) { w.Write(key); w.Write(slot.HighRun); }
        w.Write(s.Ports.Count);
        foreach (var (port, c) in s.Ports) { w.Write(port); WriteRules32(w, c.Rules); c.Gate.Write(w); }
        w.Write(slots.Count);
        foreach (var (key, slot) in slots) { w.Write(key); slot.Repeats.Write(w); }
        Assert.True(s.Kind != Smart.Core.DeviceKind.Charger || s.Ports.Count == 2, "the charger's two ports should have their own state");
    }

    /// <summary>A rule state in the layout of formats up to 4: no latest reading's time, a history ring of 32 samples.</summary>
    private static void WriteRules32(BinaryWriter w, Smart.Detection.Rules.RuleState rules)
    {
        using var current = new MemoryStream();
        using (var cw = new BinaryWriter(current, System.Text.Encoding.UTF8, leaveOpen: true)) rules.Write(cw);
        current.Position = 0;
        using var r = new BinaryReader(current);
        w.Write(r.ReadDouble()); w.Write(r.ReadInt64()); w.Write(r.ReadInt64());
        r.ReadInt64(); // the latest reading's time (format 6)
        var counters = r.ReadInt32();
        w.Write(counters);
        for (var i = 0; i < counters; i++) { w.Write(r.ReadString()); w.Write(r.ReadInt32()); }
        int count = r.ReadInt32(), head = r.ReadInt32();
        var samples = Enumerable.Range(0, 64).Select(_ => (Ts: r.ReadInt64(), Value: r.ReadDouble())).ToArray();
        var kept = Enumerable.Range(0, count).Select(k => samples[(head - count + k + 64) % 64]).TakeLast(32).ToArray();
        w.Write(kept.Length); w.Write(kept.Length % 32);
        for (var i = 0; i < 32; i++) { w.Write(i < kept.Length ? kept[i].Ts : 0L); w.Write(i < kept.Length ? kept[i].Value : 0.0); }
    }
}
