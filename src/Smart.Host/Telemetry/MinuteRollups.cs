using Smart.Core;
using Smart.Host.Bridge;
using Smart.Influx.LineProtocol;

namespace Smart.Host.Telemetry;

/// <summary>
/// The 1-minute rollups (<c>{field}_mean</c>, <c>_min</c>, <c>_max</c> per series and minute, DESIGN §6), computed as the
/// readings pass instead of by a continuous query: InfluxQL reads every raw point again for each rollup run, at
/// 11–13 µs of influxd's CPU per point (tests/Benchmarks/RESULTS.md) — as much as storing it. One accumulator per series
/// (device and charger port) holds its current minute; the minute is written when the series moves to a later one, or
/// by <see cref="Sweep"/> once it is <see cref="IdleCloseMs"/> old. What this cannot see exactly is handed to the
/// recompute-from-raw pass (<see cref="TelemetryStore"/>'s late points) instead of being guessed:
/// a reading older than its series' open minute, a repeated or reordered <c>seq</c> (a redelivery may already be
/// counted), a reading not later than the one before it in the same minute (InfluxDB keeps one point per series and
/// millisecond, so two readings with one timestamp are one raw point), and minutes that began before this process
/// started (readings of them went to an earlier process).
/// Not thread-safe: the bridge's receive loop is its only caller.
/// </summary>
public sealed class MinuteRollups(long startedMs)
{
    /// <summary>A series that got no reading for this long after its minute began has its minute written by the sweep.</summary>
    public const long IdleCloseMs = 2 * Minute;
    private const long Minute = 60_000;

    private static readonly string[][] FieldsByKind = DeviceKinds.All.Select(k =>
        TelemetrySchema.For(k).Concat(TelemetrySchema.Common).Where(f => f.Type == FieldType.Number).Select(f => f.Name).ToArray()).ToArray();
    private static readonly (string Mean, string Min, string Max)[][] RollupFieldsByKind =
        FieldsByKind.Select(fs => fs.Select(f => (f + "_mean", f + "_min", f + "_max")).ToArray()).ToArray();

    private readonly Dictionary<(string Device, int Port), Series> _series = [];
    private readonly long _startMinute = startedMs / Minute * Minute;

    /// <summary>Open series (tests, metrics).</summary>
    public int Count => _series.Count;

    /// <summary>The numeric fields rolled up for a kind (the raw schema's numbers, including the common ones).</summary>
    public static IReadOnlyList<string> FieldsOf(DeviceKind kind) => FieldsByKind[(int)kind];

    /// <summary>
    /// Adds a telemetry reading received at <paramref name="nowMs"/>; closed minutes are written to
    /// <paramref name="rollups"/>. False when the reading cannot be counted exactly (see the class summary, and a reading
    /// whose minute the sweep may already have written): its minute must be recomputed from the raw points.
    /// </summary>
    public bool Add(DecodedMessage m, bool freshSeq, long nowMs, LineProtocolWriter rollups, LateMinutes late)
    {
        var minute = Floor(m.TimestampMs);
        if (minute + IdleCloseMs <= nowMs) return false;
        var key = (m.Device.Id, m.Port ?? -1);
        if (!_series.TryGetValue(key, out var s))
            _series[key] = s = new Series(m.Device, m.Port, FieldsByKind[(int)m.Device.Kind].Length);
        else if (!freshSeq || minute < s.Minute)
            return false;
        if (minute > s.Minute)
        {
            if (s.Count > 0) Close(s, rollups, late);
            s.Start(minute, exact: minute > _startMinute);
        }
        s.Add(m.TimestampMs, m.Fields, FieldsByKind[(int)m.Device.Kind]);
        return true;
    }

    /// <summary>Writes the minutes of series idle for <see cref="IdleCloseMs"/>; call when the wall-clock minute changes.</summary>
    public void Sweep(long nowMs, LineProtocolWriter rollups, LateMinutes late)
    {
        foreach (var s in _series.Values)
            if (s.Count > 0 && s.Minute + IdleCloseMs <= nowMs) Close(s, rollups, late);
    }

    private static void Close(Series s, LineProtocolWriter rollups, LateMinutes late)
    {
        if (s.Exact) s.Write(rollups, RollupFieldsByKind[(int)s.Device.Kind]);
        else late.Add(s.Device.Id, s.Minute, s.Minute + Minute - 1);
        s.Reset();
    }

    private static long Floor(long ms) => ms >= 0 ? ms / Minute * Minute : (ms - Minute + 1) / Minute * Minute;

    private sealed class Series(Device device, int? port, int fields)
    {
        private readonly double[] _sum = new double[fields], _min = new double[fields], _max = new double[fields];
        private readonly int[] _n = new int[fields];

        public Device Device { get; } = device;
        public long Minute { get; private set; } = long.MinValue;
        public bool Exact { get; private set; }
        public int Count { get; private set; }

        /// <summary>The latest reading's time (minutes only move forward, so a new minute's first reading is later).</summary>
        private long _lastMs = long.MinValue;

        public void Start(long minute, bool exact) => (Minute, Exact) = (minute, exact);

        public void Add(long tsMs, IReadOnlyList<FieldValue> values, string[] names)
        {
            // One that is not later than the one before may share a millisecond with an earlier reading, which the raw
            // store overwrites (one point per series and timestamp): only the recompute counts that as the store does.
            if (tsMs <= _lastMs) Exact = false;
            else _lastMs = tsMs;
            Count++;
            foreach (var v in values)
            {
                if (v.Type != FieldType.Number) continue;
                var i = Array.IndexOf(names, v.Name);
                if (i < 0) continue;
                if (_n[i]++ == 0) (_sum[i], _min[i], _max[i]) = (v.Number, v.Number, v.Number);
                else (_sum[i], _min[i], _max[i]) = (_sum[i] + v.Number, Math.Min(_min[i], v.Number), Math.Max(_max[i], v.Number));
            }
        }

        public void Write(LineProtocolWriter w, (string Mean, string Min, string Max)[] names)
        {
            if (Array.TrueForAll(_n, n => n == 0)) return;
            PointEncoder.WriteSeries(w, Device, port);
            for (var i = 0; i < names.Length; i++)
            {
                if (_n[i] == 0) continue;
                w.Field(names[i].Mean, _sum[i] / _n[i]).Field(names[i].Min, _min[i]).Field(names[i].Max, _max[i]);
            }
            w.Timestamp(Minute);
        }

        public void Reset()
        {
            Count = 0;
            Array.Clear(_n);
        }
    }
}
