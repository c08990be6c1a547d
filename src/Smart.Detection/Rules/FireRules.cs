using System.Globalization;
using Smart.Core.Incidents;

namespace Smart.Detection.Rules;

/// <summary>Layer 1 for 烟感/温感 (smoke, heat, CO detectors).</summary>
internal static class FireRules
{
    public static void Evaluate(FireRuleOptions o, RuleState s, ReadingInput r, List<RuleHit> hits)
    {
        if (r.TryGet("smoke_pct_per_m", out var smoke)) Smoke(o, s, smoke, hits);
        if (r.TryGet("temp_c", out var temp)) Heat(o, s, r.TimestampMs, temp, hits);
        if (r.TryGet("co_ppm", out var co)) Co(o, s, r.TimestampMs, co, hits);
        if (r.TryGet("alarm", out var alarm) && alarm >= 0.5)
            hits.Add(RuleHit.Of(IncidentTypes.FireDeviceAlarm, "alarm", alarm, "探测器本地报警 / detector's own alarm"));
    }

    private static void Smoke(FireRuleOptions o, RuleState s, double smoke, List<RuleHit> hits)
    {
        var over = smoke >= o.SmokePctPerM;
        var n = s.Consecutive("smoke", over);
        if (over && (n >= o.SmokePersistenceReadings || smoke >= o.SmokePctPerM * o.SmokeImmediateFactor))
            hits.Add(RuleHit.Of(IncidentTypes.FireSmoke, "smoke_pct_per_m", smoke,
                F($"烟雾浓度 {smoke:0.##} %/m ≥ {o.SmokePctPerM} %/m（连续 {n} 次）/ smoke obscuration {smoke:0.##} %/m ≥ {o.SmokePctPerM} %/m for {n} readings")));
    }

    private static void Heat(FireRuleOptions o, RuleState s, long ts, double temp, List<RuleHit> hits)
    {
        s.AddTrend(ts, temp);
        if (temp >= o.HeatStaticC)
        {
            hits.Add(RuleHit.Of(IncidentTypes.FireHeat, "temp_c", temp,
                F($"温度 {temp:0.#} °C ≥ 定温 {o.HeatStaticC} °C / temperature {temp:0.#} °C ≥ fixed {o.HeatStaticC} °C (EN 54-5 A1)")));
            return;
        }
        var rate = s.MaxRise(o.RateOfRiseMinSpanMs, o.RateOfRiseWindowMs, o.RateOfRiseMinDeltaC);
        if (rate >= o.RateOfRiseCPerMin)
            hits.Add(RuleHit.Of(IncidentTypes.FireHeat, "temp_c", temp,
                F($"温升速率 {rate:0.#} °C/min ≥ {o.RateOfRiseCPerMin} °C/min / rate of rise {rate:0.#} °C/min ≥ {o.RateOfRiseCPerMin} °C/min")));
    }

    private static void Co(FireRuleOptions o, RuleState s, long ts, double ppm, List<RuleHit> hits)
    {
        var stepMs = s.CoLastMs == long.MinValue ? 0 : Math.Clamp(ts - s.CoLastMs, 0, o.CoMaxStepMs);
        s.CoLastMs = ts;
        var minutes = stepMs / 60_000.0;
        if (ppm <= o.CoFloorPpm) s.CoDose *= Math.Exp(-minutes / o.CoDecayMinutes);
        else s.CoDose += minutes / MinutesToAlarm(o.CoCurve, ppm);
        if (s.CoDose >= 1.0)
            hits.Add(RuleHit.Of(IncidentTypes.FireCo, "co_ppm", ppm,
                F($"一氧化碳 {ppm:0} ppm，累计暴露达报警曲线 / CO {ppm:0} ppm, exposure reached the UL 2034 alarm curve")));
        else if (ppm >= o.CoWarningPpm)
            hits.Add(new RuleHit(IncidentTypes.FireCo, o.CoWarningSeverity, "co_ppm", ppm,
                F($"一氧化碳 {ppm:0} ppm ≥ {o.CoWarningPpm} ppm，尚未达报警曲线，预警 / CO {ppm:0} ppm ≥ {o.CoWarningPpm} ppm, below the UL 2034 alarm curve so far: warning")));
    }

    /// <summary>Log-log interpolation of the alarm curve (Haber-like: time ∝ c^-k); extrapolated beyond its ends.</summary>
    internal static double MinutesToAlarm(IReadOnlyList<(double Ppm, double Minutes)> curve, double ppm)
    {
        var i = 0;
        while (i < curve.Count - 2 && ppm > curve[i + 1].Ppm) i++;
        var (c0, t0) = curve[i];
        var (c1, t1) = curve[i + 1];
        var k = Math.Log(t1 / t0) / Math.Log(c1 / c0);
        return t0 * Math.Pow(ppm / c0, k);
    }

    internal static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
