using FirmwareSim.Models;

namespace FirmwareSim.Firmware;

/// <summary>
/// When a device publishes, the way NB-IoT and LoRaWAN sensors save battery and airtime (report by exception): it
/// samples its sensors locally every <see cref="SamplePeriodMs"/>, publishes a periodic report (heartbeat) at the
/// model's interval whatever the readings are, and in between publishes at once when a field moved by at least its
/// delta since the last published report — but not sooner than <see cref="MinSpacingMs"/> after it, so a noisy or
/// ramping signal cannot flood the uplink. A change of a flag or state field (an alarm, a lid, charging started) is
/// never held back. Fields without a delta (battery, RSSI, counters) only travel with reports. A policy with a
/// <see cref="Dense"/> level samples that one field more often and reports densely while it moves fast
/// (<see cref="DenseLevelTracker"/>).
/// </summary>
internal sealed class ReportPolicy(long samplePeriodMs, long minSpacingMs, IReadOnlyDictionary<string, double> deltas)
{
    public long SamplePeriodMs { get; } = samplePeriodMs;
    public long MinSpacingMs { get; } = minSpacingMs;
    public IReadOnlyDictionary<string, double> Deltas { get; } = deltas;
    /// <summary>Dense sampling of one level field with densified reporting while it moves fast; null = none.</summary>
    public DenseLevel? Dense { get; init; }

    /// <summary>A device that only reports periodically (sampling and reporting are one).</summary>
    public static ReportPolicy PeriodicOnly(TimeSpan interval) => new((long)interval.TotalMilliseconds, 0, new Dictionary<string, double>());

    /// <summary>The policy with its times multiplied by <paramref name="scale"/> (tests and demos run devices faster).</summary>
    public static ReportPolicy Of(double sampleS, double minSpacingS, IReadOnlyDictionary<string, double> deltas, double scale, DenseLevel? dense = null) =>
        new((long)(sampleS * 1000 * scale), (long)(minSpacingS * 1000 * scale), deltas) { Dense = dense };

    /// <summary>Whether a locally sampled reading is reported now, given the last report of its channel.</summary>
    public bool ShouldReport(Reading now, long simMs, long lastReportMs, IReadOnlyList<Field> lastReport)
    {
        var moved = false;
        foreach (var f in now.Fields)
        {
            var before = Find(lastReport, f.Name);
            if (before is null) return true;
            switch (f.Type)
            {
                case FieldType.Bool when f.Value != before.Value.Value:
                case FieldType.Text when f.Text != before.Value.Text:
                    return true;
                case FieldType.Number when Deltas.TryGetValue(f.Name, out var delta) && Math.Abs(f.Value - before.Value.Value) >= delta:
                    moved = true;
                    break;
            }
        }
        return moved && simMs - lastReportMs >= MinSpacingMs;
    }

    private static Field? Find(IReadOnlyList<Field> fields, string name)
    {
        for (var i = 0; i < fields.Count; i++)
            if (fields[i].Name == name) return fields[i];
        return null;
    }
}
