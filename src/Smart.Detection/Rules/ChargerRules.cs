using static Smart.Detection.Rules.FireRules;
using Smart.Core.Incidents;

namespace Smart.Detection.Rules;

/// <summary>Layer 1 for 电动自行车充电桩 (e-bike charging ports).</summary>
internal static class ChargerRules
{
    public static void Evaluate(ChargerRuleOptions o, RuleState s, ReadingInput r, List<RuleHit> hits)
    {
        var hasCurrent = r.TryGet("current_a", out var current);
        var charging = r.State is not null ? r.State == "charging" : hasCurrent && current >= o.ChargingMinA;
        if (r.TryGet("temp_c", out var temp)) Temperature(o, s, r.TimestampMs, temp, charging, hits);
        if (hasCurrent)
        {
            var n = s.Consecutive("overcurrent", current >= o.OvercurrentA);
            if (n >= o.OvercurrentPersistenceReadings)
                hits.Add(RuleHit.Of(IncidentTypes.ChargerOvercurrent, "current_a", current, F($"电流 {current:0.##} A ≥ {o.OvercurrentA} A / over-current {current:0.##} A")));
        }
        if (r.TryGet("leak_ma", out var leak) && leak >= o.LeakageMa)
            hits.Add(RuleHit.Of(IncidentTypes.ChargerLeakage, "leak_ma", leak, F($"漏电流 {leak:0.#} mA ≥ {o.LeakageMa} mA / leakage {leak:0.#} mA (30 mA RCD class)")));
        LongCharge(o, s, r.TimestampMs, charging, hits);
    }

    private static void Temperature(ChargerRuleOptions o, RuleState s, long ts, double temp, bool charging, List<RuleHit> hits)
    {
        s.AddTrend(ts, temp);
        var rate = s.MaxRise(o.RunawayMinSpanMs, o.RunawayWindowMs);
        if (temp >= o.RunawayAbsoluteC || (charging && temp >= o.RunawayMinC && rate >= o.RunawayRiseCPerMin))
        {
            hits.Add(RuleHit.Of(IncidentTypes.ChargerThermalRunaway, "temp_c", temp,
                F($"充电中温度 {temp:0.#} °C 持续上升 {rate:0.#} °C/min，疑似热失控 / temperature {temp:0.#} °C rising {rate:0.#} °C/min while charging: thermal runaway")));
        }
        else if (charging && s.MaxRise(o.PrecursorMinSpanMs, o.RunawayWindowMs, o.PrecursorMinDeltaC) is var early && early >= o.PrecursorRiseCPerMin)
        {
            hits.Add(new RuleHit(IncidentTypes.ChargerThermalRunaway, o.PrecursorSeverity, "temp_c", temp,
                F($"充电中端口温度以 {early:0.#} °C/min 快速上升（{temp:0.#} °C），疑似接触不良或电池热失控前兆 / port temperature rising {early:0.#} °C/min while charging ({temp:0.#} °C): a loose contact or a thermal runaway precursor")));
        }
        // Over-temperature is its own condition (IEC 62196-1 limit), raised alongside a runaway too: the runaway may
        // clear (power cut, cooling) while the port is still too hot to touch.
        if (temp >= o.OverheatC)
            hits.Add(RuleHit.Of(IncidentTypes.ChargerOverheat, "temp_c", temp, F($"端口温度 {temp:0.#} °C ≥ {o.OverheatC} °C / port over-temperature {temp:0.#} °C")));
    }

    private static void LongCharge(ChargerRuleOptions o, RuleState s, long ts, bool charging, List<RuleHit> hits)
    {
        if (!charging) { s.ChargeStartMs = long.MinValue; return; }
        if (s.ChargeStartMs == long.MinValue) s.ChargeStartMs = ts;
        var hours = (ts - s.ChargeStartMs) / 3_600_000.0;
        if (ts - s.ChargeStartMs >= o.LongChargeMs)
            hits.Add(RuleHit.Of(IncidentTypes.ChargerLongCharge, "charge_hours", hours, F($"连续充电 {hours:0.#} 小时 / charging for {hours:0.#} h")));
    }
}
