using Smart.Benchmarks;
using Smart.Core;
using Smart.Core.Incidents;
using Smart.Detection.Evaluation;
using Smart.Detection.Rules;
using Xunit.Abstractions;

namespace Smart.Detection.Tests;

/// <summary>The flood onset test's tail on noise: every demo cover (18) through normal 24-h days of the real simulator
/// (its gauge noise, its pre-trigger bursts and their uploads, late ones included), no scenario.</summary>
public class FloodDryDayTests(ITestOutputHelper output)
{
    [Fact]
    public void Dry_days_of_every_demo_cover_raise_no_flood_warning()
    {
        var o = new ManholeRuleOptions();
        var rateOnly = o.FloodOnset with { BendPerMin2 = double.PositiveInfinity };
        var bendOnly = o.FloodOnset with { AllowedPerMin = double.PositiveInfinity };
        var (rateMax, bendMax) = (new List<double>(), new List<double>());
        var warnings = 0;
        for (var seed = 1; seed <= 10; seed++)
        {
            var (traffic, _) = DetectScenarios.Start(seed, [], 0, 60_000, d => d.Kind == DeviceKind.Manhole);
            var engine = new DetectionEngine();
            var covers = new Dictionary<string, (RuleState Water, double Rate, double Bend)>();
            foreach (var m in DetectScenarios.Messages(traffic, DetectScenarios.StartMs + 24 * DetectScenarios.HourMs))
            {
                if (!DeviceTopic.TryParse(m.Topic, out var topic, out _) || topic.Channel != TopicChannel.Telemetry) continue;
                var r = PayloadReader.ToReading(topic.Kind, topic.DeviceId, "B1", m.ReceivedMs, m.PayloadJson);
                warnings += engine.Process(r).Alerts.Count(a => a.IncidentType == IncidentTypes.ManholeFlood);
                // Each test's z on its own, on the history the engine keeps (late pings inserted by time).
                r.TryGet("water_level_cm", out var w);
                (RuleState Water, double Rate, double Bend) c = covers.TryGetValue(topic.DeviceId, out var known) ? known
                    : (new RuleState(), double.NegativeInfinity, double.NegativeInfinity);
                if (r.TimestampMs < c.Water.LatestReadingMs) c.Water.InsertTrend(r.TimestampMs, -w);
                else
                {
                    c.Water.LatestReadingMs = r.TimestampMs;
                    c.Water.AddTrend(r.TimestampMs, -w);
                    if (c.Water.LastGapMs <= o.FloodOnsetDenseGapMs)
                        c = (c.Water, Math.Max(c.Rate, c.Water.SteepestOnset(rateOnly, o.GaugeNoise, double.NegativeInfinity).Z),
                            Math.Max(c.Bend, c.Water.SteepestOnset(bendOnly, o.GaugeNoise, double.NegativeInfinity).Z));
                }
                covers[topic.DeviceId] = c;
            }
            rateMax.AddRange(covers.Values.Select(c => c.Rate));
            bendMax.AddRange(covers.Values.Select(c => c.Bend));
        }
        rateMax.Sort();
        bendMax.Sort();
        output.WriteLine(System.FormattableString.Invariant(
            $"{rateMax.Count} cover-days: daily max z of the rate test median {rateMax[rateMax.Count / 2]:0.00}, max {rateMax[^1]:0.00}; of the bend test median {bendMax[bendMax.Count / 2]:0.00}, max {bendMax[^1]:0.00}; warnings {warnings}"));
        Assert.Equal(0, warnings);
        Assert.Equal(180, rateMax.Count);
    }
}
