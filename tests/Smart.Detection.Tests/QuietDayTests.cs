using Smart.Core;
using Smart.Core.Demo;
using Smart.Detection;
using Xunit.Abstractions;

namespace Smart.Detection.Tests;

/// <summary>Operators must trust the incident list: 24 h of normal traffic from every demo device raises nothing.
/// (A stand-in for firmware-sim's normal mode: diurnal temperature, noise, charging sessions.)</summary>
public class QuietDayTests(ITestOutputHelper output)
{
    private const int Seed = 4242;

    [Fact]
    public void A_normal_day_of_the_demo_district_raises_no_incident()
    {
        output.WriteLine($"seed {Seed}");
        var rng = new Random(Seed);
        var devices = DemoDistrict.Create().Devices;
        var engine = new DetectionEngine();
        var alerts = new List<DetectionAlert>();
        var scores = 0L;
        for (var second = 0; second < 86_400; second += 60)
        {
            var ts = Readings.T0 + second * 1000L;
            foreach (var d in devices)
            {
                var reading = NormalReading(d, second, ts, rng);
                if (reading is null) continue;
                var r = engine.Process(reading);
                alerts.AddRange(r.Alerts);
                scores += r.Scores.Count;
            }
            if (second % 300 == 0) alerts.AddRange(engine.CheckSilence(ts).Alerts);
        }
        foreach (var a in alerts.Take(20)) output.WriteLine($"{a.DeviceId} {a.IncidentType} {a.Metric}={a.Value} {a.Reason}");
        Assert.True(scores > 100_000, $"only {scores} scores");
        Assert.Empty(alerts);
    }

    private static ReadingInput? NormalReading(Device d, int second, long ts, Random rng)
    {
        var diurnal = Math.Sin(2 * Math.PI * (second / 86_400.0 - 0.25));
        double N(double sigma) => sigma * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        ReadingInput Of(params (string, double)[] f) => new(d.Id, d.Kind, d.BuildingId, ts, f.Select(x => new Metric(x.Item1, Math.Round(x.Item2, 2))).ToList());
        switch (d.Kind)
        {
            case DeviceKind.Fire when second % 60 == 0:
                return Of(("smoke_pct_per_m", Math.Max(0, 0.05 + N(0.02))), ("temp_c", 22 + 3 * diurnal + N(0.2)), ("co_ppm", Math.Max(0, Math.Round(1 + N(1)))));
            case DeviceKind.Manhole when second % 300 == 0:
                return Of(("tilt_deg", Math.Abs(0.3 + N(0.1))), ("displacement_mm", Math.Abs(1 + N(0.5))), ("water_level_cm", 120 + 10 * diurnal + N(1)),
                    ("ch4_pct_lel", Math.Max(0, 0.5 + N(0.3))), ("h2s_ppm", Math.Max(0, 0.2 + N(0.2))), ("lid_open", 0));
            case DeviceKind.Camera when second % 60 == 0:
                return Of(("fps", rng.NextDouble() < 0.05 ? 24 : 25), ("lens_blocked", 0));
            case DeviceKind.Charger:
                return Charger(d, second, ts, rng, N);
            default:
                return null;
        }
    }

    /// <summary>Sessions of 6 h charging (current tapering, port warming slowly), 1 h full, 2 h idle, offset per device.</summary>
    private static ReadingInput Charger(Device d, int second, long ts, Random rng, Func<double, double> n)
    {
        var phase = (second + Math.Abs(d.Id.GetHashCode() % 9) * 3600) % (9 * 3600);
        var (state, current) = phase < 6 * 3600 ? ("charging", 2.2 - 1.2 * phase / (6 * 3600.0) + n(0.03)) : phase < 7 * 3600 ? ("full", 0.1 + n(0.01)) : ("idle", 0.0);
        var temp = state == "charging" ? 28 + 8 * Math.Min(1, phase / 7200.0) + n(0.2) : 26 + n(0.2);
        var voltage = 220 + n(1.5);
        return new ReadingInput(d.Id, DeviceKind.Charger, d.BuildingId, ts,
            [new("port", 1), new("voltage_v", Math.Round(voltage, 1)), new("current_a", Math.Round(Math.Max(0, current), 2)), new("power_w", Math.Round(voltage * Math.Max(0, current), 1)),
             new("energy_wh", 0), new("temp_c", Math.Round(temp, 1)), new("leak_ma", Math.Round(Math.Abs(2 + n(0.5)), 1))], state);
    }
}
