using static Smart.Detection.Rules.FireRules;
using Smart.Core.Incidents;

namespace Smart.Detection.Rules;

/// <summary>Layer 1 for 智能井盖 (smart manhole covers).</summary>
internal static class ManholeRules
{
    public static void Evaluate(ManholeRuleOptions o, RuleState s, ReadingInput r, List<RuleHit> hits)
    {
        if (r.TryGet("tilt_deg", out var tilt))
        {
            var n = s.Consecutive("tilt", tilt >= o.TiltDeg);
            if (n >= o.TiltPersistenceReadings)
                hits.Add(RuleHit.Of(IncidentTypes.ManholeTilt, "tilt_deg", tilt, F($"井盖倾斜 {tilt:0.#}° ≥ {o.TiltDeg}° / lid tilted {tilt:0.#}° ≥ {o.TiltDeg}°")));
        }
        if (r.TryGet("displacement_mm", out var disp) && disp >= o.DisplacementMm)
            hits.Add(RuleHit.Of(IncidentTypes.ManholeDisplaced, "displacement_mm", disp, F($"井盖位移 {disp:0} mm ≥ {o.DisplacementMm} mm / lid displaced {disp:0} mm")));
        if (r.TryGet("lid_open", out var open) && open >= 0.5)
            hits.Add(RuleHit.Of(IncidentTypes.ManholeOpen, "lid_open", open, "井盖被打开 / lid open"));
        if (r.TryGet("water_level_cm", out var water)) Water(o, s, r.TimestampMs, water, hits);
        Gas(o, r, hits);
    }

    /// <summary>A late reading (older than the cover's latest, see <see cref="DetectionEngine.Process"/>): its level joins
    /// the history in time order, nothing is judged on it.</summary>
    public static void Backfill(RuleState s, ReadingInput r)
    {
        if (r.TryGet("water_level_cm", out var water)) s.InsertTrend(r.TimestampMs, -water);
    }

    /// <summary><c>water_level_cm</c> is the distance from the lid down to the water: the water rises as it falls.</summary>
    private static void Water(ManholeRuleOptions o, RuleState s, long ts, double water, List<RuleHit> hits)
    {
        s.AddTrend(ts, -water);
        if (water <= o.FloodCm)
        {
            var sev = water <= o.FloodUrgentCm ? Severity.P1 : IncidentTypes.DefaultSeverity(IncidentTypes.ManholeFlood);
            hits.Add(new RuleHit(IncidentTypes.ManholeFlood, sev, "water_level_cm", water, F($"水位距井盖 {water:0} cm ≤ {o.FloodCm} cm / water {water:0} cm below the lid")));
        }
        else if (s.LastGapMs <= o.FloodOnsetDenseGapMs)
        {
            // A dense series (the cover's fast mode): the onset test, which knows the gauge's correlated noise; the
            // two-report rise below would pass noise on some of its many pairs of dense samples in heavy rain.
            var onset = s.SteepestOnset(o.FloodOnset, o.GaugeNoise, o.FloodOnsetZ);
            if (onset.Z >= o.FloodOnsetZ) hits.Add(RisingFast(o, water, onset.RatePerMin));
        }
        else if (s.MaxRise(o.FloodRiseMinSpanMs, o.FloodRiseWindowMs, o.FloodRiseMinCm) is var rate && rate >= o.FloodRiseCmPerMin)
        {
            hits.Add(RisingFast(o, water, rate));
        }
    }

    private static RuleHit RisingFast(ManholeRuleOptions o, double water, double rate) =>
        new(IncidentTypes.ManholeFlood, o.FloodRiseSeverity, "water_level_cm", water,
            F($"井下水位快速上涨 {rate:0.#} cm/min（距井盖 {water:0} cm），内涝预警 / water rising {rate:0.#} cm/min ({water:0} cm below the lid): flood warning"));

    private static void Gas(ManholeRuleOptions o, ReadingInput r, List<RuleHit> hits)
    {
        if (r.TryGet("ch4_pct_lel", out var ch4) && ch4 >= o.Ch4LowPctLel)
        {
            var sev = ch4 >= o.Ch4HighPctLel ? Severity.P1 : Severity.P2;
            hits.Add(new RuleHit(IncidentTypes.ManholeGas, sev, "ch4_pct_lel", ch4, F($"甲烷 {ch4:0.#} %LEL ≥ {o.Ch4LowPctLel} %LEL / methane {ch4:0.#} %LEL")));
        }
        if (r.TryGet("h2s_ppm", out var h2s) && h2s >= o.H2sLowPpm)
        {
            var sev = h2s >= o.H2sHighPpm ? Severity.P1 : Severity.P2;
            hits.Add(new RuleHit(IncidentTypes.ManholeGas, sev, "h2s_ppm", h2s, F($"硫化氢 {h2s:0.#} ppm ≥ {o.H2sLowPpm} ppm / H2S {h2s:0.#} ppm")));
        }
    }
}
