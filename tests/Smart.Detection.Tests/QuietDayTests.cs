using Smart.Benchmarks;
using Xunit.Abstractions;

namespace Smart.Detection.Tests;

/// <summary>Operators must trust the incident list: a whole simulated day (daily temperature cycle, showers filling the
/// manholes, the evening charging peak, spurious camera detections) of firmware-sim's normal traffic raises nothing.
/// The first device of each group (ids ending in -1) keeps it under half a minute; the <c>detect</c> benchmark runs all 423 devices.</summary>
public class QuietDayTests(ITestOutputHelper output)
{
    private const int Seed = 4242;

    [Fact]
    public void A_normal_simulated_day_raises_no_incident()
    {
        output.WriteLine($"seed {Seed}");
        var report = DetectScenarios.Run(Seed, hours: 24, [], devices: d => d.Id.EndsWith("-1", StringComparison.Ordinal));
        foreach (var a in report.FalseAlerts.Take(20)) output.WriteLine($"{a.DeviceId} {a.IncidentType} {a.Metric}={a.Value} {a.Reason}");
        output.WriteLine($"{report.Messages} messages");
        Assert.True(report.Messages > 100_000, $"only {report.Messages} messages");
        Assert.Empty(report.FalseAlerts);
    }
}
