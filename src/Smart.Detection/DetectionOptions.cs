namespace Smart.Detection;

/// <summary>All thresholds of the engine. Defaults come from the standards cited on each property.</summary>
public sealed class DetectionOptions
{
    public FireRuleOptions Fire { get; init; } = new();
    public ManholeRuleOptions Manhole { get; init; } = new();
    public ChargerRuleOptions Charger { get; init; } = new();
    public CameraRuleOptions Camera { get; init; } = new();
    public StatisticalOptions Statistical { get; init; } = new();
    public CorrelationOptions Correlation { get; init; } = new();

    /// <summary>A condition that clears and comes back within this time is not raised again (flapping debounce).</summary>
    public long FlapHoldoffMs { get; init; } = 10 * 60_000;

    /// <summary>The same event type from one device within this time is one finding (camera re-detections).</summary>
    public long EventHoldoffMs { get; init; } = 60_000;

    /// <summary>A telemetry reading older than its device's latest by at most this much is late (a manhole cover's upload
    /// of its level pings from the last 2 min, see <see cref="DetectionEngine.Process"/>); one older by more is taken as
    /// the device's clock having stepped back and judged like any reading, so a reset clock does not blind detection.</summary>
    public long LateReadingMaxMs { get; init; } = 5 * 60_000;

    /// <summary>A device is offline when silent for max(<see cref="OfflineMinMs"/>, <see cref="OfflineIntervals"/> × its
    /// usual reporting interval), or this long after it reported <c>{"online":false}</c>.</summary>
    public long OfflineMinMs { get; init; } = 5 * 60_000;
    public double OfflineIntervals { get; init; } = 5;
    public long OfflineGraceMs { get; init; } = 2 * 60_000;

    /// <summary>Devices of one building going offline within this time of the one before are one outage (a power cut or a
    /// network failure, not a device fault): one incident, the first device's, which each later device joins. They do not
    /// go dark at one moment as seen from here: each is judged against its own reporting interval (1–5 min).</summary>
    public long OutageWindowMs { get; init; } = 15 * 60_000;

    /// <summary>From this many devices dark together an outage is raised to P2: a building's detectors and chargers
    /// unwatched.</summary>
    public int OutageMajorDevices { get; init; } = 3;
}

public sealed class FireRuleOptions
{
    /// <summary>Smoke obscuration alarm level. UL 268 allows 0.5–4.0 %/ft (1.6–12.5 %/m) for photoelectric
    /// detectors; 4 %/m sits in the usual factory setting of ~1.2 %/ft.</summary>
    public double SmokePctPerM { get; init; } = 4.0;
    /// <summary>Consecutive readings at or above the level before alarming (alarm verification, NFPA 72 §17.7.3.2
    /// allows a short verification); a reading this factor above the level alarms at once.</summary>
    public int SmokePersistenceReadings { get; init; } = 2;
    public double SmokeImmediateFactor { get; init; } = 2.0;

    /// <summary>EN 54-5 class A1: static response temperature 54–65 °C; we alarm at the lower bound.</summary>
    public double HeatStaticC { get; init; } = 54.0;
    /// <summary>Rate of rise: 8.3 °C/min (15 °F/min, NFPA 72 / UL 521 rate-of-rise detectors; EN 54-5 class R
    /// tests rates from 10 K/min), measured over <see cref="RateOfRiseMinSpanMs"/>..<see cref="RateOfRiseWindowMs"/>
    /// and with at least <see cref="RateOfRiseMinDeltaC"/> of rise so sensor noise cannot trigger it.</summary>
    public double RateOfRiseCPerMin { get; init; } = 8.3;
    public double RateOfRiseMinDeltaC { get; init; } = 5.0;
    public long RateOfRiseMinSpanMs { get; init; } = 20_000;
    public long RateOfRiseWindowMs { get; init; } = 5 * 60_000;

    /// <summary>CO alarm curve (ppm, minutes to alarm): UL 2034 §38 requires alarm at 70 ppm in 60–240 min,
    /// 150 ppm in 10–50 min, 400 ppm in 4–15 min; we use the geometric middle of each band and integrate
    /// exposure as a dose (Σ dt / T(c)), alarming at dose 1. Below <see cref="CoFloorPpm"/> (UL 2034: no alarm at
    /// 30 ppm for 30 days) the dose decays with <see cref="CoDecayMinutes"/>.</summary>
    public IReadOnlyList<(double Ppm, double Minutes)> CoCurve { get; init; } = [(70, 120), (150, 22.4), (400, 7.75)];
    public double CoFloorPpm { get; init; } = 30;
    public double CoDecayMinutes { get; init; } = 30;
    /// <summary>Longest gap counted as exposure, so a device back from a long silence does not alarm on one reading.</summary>
    public long CoMaxStepMs { get; init; } = 10 * 60_000;
    /// <summary>Early warning, raised as <c>fire.co</c> at <see cref="CoWarningSeverity"/> and upgraded to P1 when the
    /// dose reaches the alarm curve: CO at or above the WHO indoor-air guideline for 30 minutes of exposure
    /// (60 mg/m³ ≈ 50 ppm; WHO Guidelines for Indoor Air Quality 2010), which is also the lowest test concentration of
    /// EN 50291-1 and the OSHA 8-hour limit. An alarm must wait for the dose (UL 2034 forbids alarming early), a person
    /// can check the flat before it is reached.</summary>
    public double CoWarningPpm { get; init; } = 50;
    public Smart.Core.Incidents.Severity CoWarningSeverity { get; init; } = Smart.Core.Incidents.Severity.P3;
}

public sealed class ManholeRuleOptions
{
    /// <summary>Smart manhole cover vendors alarm at 5–10° of tilt; we use the lower bound with 2 readings.</summary>
    public double TiltDeg { get; init; } = 5.0;
    public int TiltPersistenceReadings { get; init; } = 2;
    /// <summary>Lid moved out of its seat; seat overlap of EN 124 frames is a few cm, 20 mm is vendor practice.</summary>
    public double DisplacementMm { get; init; } = 20.0;
    /// <summary>Water this close to the lid (cm below it) is a flood warning; at <see cref="FloodUrgentCm"/> P1.</summary>
    public double FloodCm { get; init; } = 30.0;
    public double FloodUrgentCm { get; init; } = 10.0;
    /// <summary>Early warning (two-stage level alarms plus a rate-of-change alarm, as sewer level monitors offer to catch
    /// blockages and surcharges before they spill): the water rising ≥ <see cref="FloodRiseCmPerMin"/> by
    /// ≥ <see cref="FloodRiseMinCm"/> between two reports <see cref="FloodRiseMinSpanMs"/>..<see cref="FloodRiseWindowMs"/>
    /// apart raises <c>manhole.flood</c> at <see cref="FloodRiseSeverity"/>, upgraded at <see cref="FloodCm"/> (P2) and
    /// <see cref="FloodUrgentCm"/> (P1). This rule judges sparse reports (heartbeats, reports on change, a cover without
    /// dense level reporting); a dense series goes to the onset test below (<see cref="FloodOnsetZ"/>), since over its
    /// many pairs of 2-s samples this two-report test passes noise in heavy rain. Any surcharge rising ≥ 5 cm/min is
    /// caught once it has risen 5 cm (≤ 60 s at 5 cm/min). Against noise: a difference of
    /// two readings of the gauge (σ 0.5 cm) has σ 0.71 cm, so 5 cm is 7σ. Against rain: in the demo district 1 mm/h of
    /// rain lifts the water 4 cm with a 40-minute time constant, and the steepest rise its showers give is ~2 cm/min
    /// (firmware-sim's shower model stays below 2.5 cm/min over 2 000 simulated days, see its ModelPhysicsTests); 5 cm/min is 2.5× that, and over the ≤ 60 s a 5-cm rise
    /// at 5 cm/min may span, rain supplies ≤ 2 cm, so noise would still have to add 3 cm (4.2σ). (Two 20 mm/h shower
    /// peaks coinciding would bound rain at 4 cm/min, leaving 1.4σ; the shower model has not produced it.) The minimum
    /// span is one local sample period of the cover (10 s).</summary>
    public double FloodRiseCmPerMin { get; init; } = 5.0;
    public double FloodRiseMinCm { get; init; } = 5.0;
    public long FloodRiseMinSpanMs { get; init; } = 10_000;
    public long FloodRiseWindowMs { get; init; } = 5 * 60_000;
    public Smart.Core.Incidents.Severity FloodRiseSeverity { get; init; } = Smart.Core.Incidents.Severity.P3;
    /// <summary>The same warning from a cover's dense level series (a cover pings its gauge every 2 s and, when its own
    /// pre-trigger fires, uploads its unsent samples of the last 2 min and then every sample): the onset of a ramp
    /// (<see cref="Rules.RuleState.SteepestOnset"/>, a hinge fitted over the samples within
    /// <see cref="FloodOnsetWindowMs"/>, onsets <see cref="FloodOnsetMinAfter"/>..<see cref="FloodOnsetMaxAfter"/> samples
    /// back) whose rate after the onset is above the steepest rain, <see cref="FloodRainMaxCmPerMin"/>, or whose bend (the
    /// slope's change at the onset) is above what rain can bend the level's slope, <see cref="FloodBendCmPerMin2"/>, by
    /// ≥ <see cref="FloodOnsetZ"/> standard errors (either test warns) (exact for the gauge's noise, <see cref="GaugeWhiteCm"/>,
    /// <see cref="GaugeSurfaceCm"/>, <see cref="GaugeSurfaceTauS"/>). The baseline before the onset — its level and its own slope, so a level already rising with rain
    /// is no surprise — comes from the dense samples and the heartbeats before them. Rain: 1 mm/h lifts the water 4 cm
    /// with a 40-minute lag, so a rain rate R raises it at most R/10 cm/min; the shower model's steepest rise over 2 000
    /// simulated days is below 2.5 cm/min (firmware-sim's ModelPhysicsTests). The z threshold is checked by a Monte Carlo of
    /// covers in the steepest rain (Smart.Detection.Tests FloodOnsetTests): z is the maximum over the onsets tried and
    /// is tried at every dense sample. The onset is at least 8 samples (16 s) back: a surcharge is a sustained ramp,
    /// while one large ripple of the surface lingers a few samples (a cover on a dry normal day was warned by one with
    /// 3), and the warning at the slowest rise comes ≥ 20 s after onset anyway. Only run on a dense series (the last two samples
    /// ≤ <see cref="FloodOnsetDenseGapMs"/> apart): heartbeats alone cost nothing more.</summary>
    public double FloodOnsetZ { get; init; } = 5.5;
    public double FloodRainMaxCmPerMin { get; init; } = 2.5;
    /// <summary>The most rain can bend the level's slope, cm/min per minute (the bend test of
    /// <see cref="Rules.RuleState.SteepestOnset"/>, over the samples within <see cref="FloodBendWindowMs"/>). Rain
    /// reaches a manhole through its catchment: the runoff of a cell's onset arrives spread over the catchment's
    /// concentration time — surface inlet time alone is 5–15 min in urban drainage design (GB 50014-2021 室外排水设计标准,
    /// 地面集水时间), pipe travel adds to it — so the level's slope climbs from still to the steepest rain's
    /// <see cref="FloodRainMaxCmPerMin"/> over ≥ 5 min: ≤ 0.5 cm/min². The simulator's showers (a sine-shaped rain
    /// through a 40-min linear reservoir) bend it by at most 0.18 cm/min within a minute over 2 000 simulated days
    /// (firmware-sim's ModelPhysicsTests). A surcharge or a blocked outfall bends it by its whole rate (≥ 5.75 cm/min) at once.
    /// Checked by a Monte Carlo of covers whose level bends at exactly this, up and down (FloodOnsetTests).</summary>
    public double FloodBendCmPerMin2 { get; init; } = 0.5;
    /// <summary>The bend test's window: the cover's ring of pings (2 min); a longer baseline lets rain bend more.</summary>
    public long FloodBendWindowMs { get; init; } = 2 * 60_000;
    /// <summary>The bend test's onsets are at least this many samples (24 s) back. On a still sewer the bend test has
    /// little allowance to spare (rain's bend over the window, ~0.3–0.7 cm/min), so its tail on noise is the gauge's own:
    /// with onsets from 8 back the dry-day maximum z over 180 cover-days reached 5.74 (normal day seed 2: a 3-sample
    /// surface dip of −2.5 cm, the one that also raised the rate test's dry maximum to 4.81); from 12 back 5.27, and
    /// 4.64 over 1 440 further cover-days (seeds 41–120, not used to choose this). The slowest scenario rise's warnings
    /// come after 24 s anyway (RESULTS.md, branch flood3).</summary>
    public int FloodBendMinAfter { get; init; } = 12;
    /// <summary>The bend test's z threshold: the rate test's. Both tests at 5.5 (either warns): the union's false rate
    /// is at most the sum of theirs, checked by the rain stresses and the dry days (FloodOnsetTests).</summary>
    public double FloodBendZ { get; init; } = 5.5;
    /// <summary>The level gauge's noise per sample (firmware-sim's ManholeModel, σ 0.5 cm in all): white echo-timing noise
    /// 0.35 cm plus the water surface's ripple, 0.357 cm, correlated over ~3 s (dense pings 2 s apart correlate by 0.51).</summary>
    public double GaugeWhiteCm { get; init; } = 0.35;
    public double GaugeSurfaceCm { get; init; } = 0.357;
    public double GaugeSurfaceTauS { get; init; } = 3;
    internal Rules.SensorNoise GaugeNoise => new(GaugeWhiteCm, GaugeSurfaceCm, GaugeSurfaceTauS);
    public long FloodOnsetWindowMs { get; init; } = 6 * 60_000;
    public int FloodOnsetMinAfter { get; init; } = 8;
    public int FloodOnsetMaxAfter { get; init; } = 16;
    public long FloodOnsetDenseGapMs { get; init; } = 5_000;
    /// <summary>An onset whose hinge fit leaves a mean squared residual above this many times the gauge's variance is not
    /// tried (a step or a glitch is not a ramp; a true hinge leaves ~1×, a few × with a mistimed onset).</summary>
    public double FloodOnsetMisfit { get; init; } = 4;
    internal Rules.OnsetTest FloodOnset => new(FloodOnsetWindowMs, FloodOnsetMinAfter, FloodOnsetMaxAfter, FloodRainMaxCmPerMin, FloodOnsetMisfit,
        FloodBendWindowMs, FloodBendCmPerMin2, FloodBendMinAfter, FloodBendZ - FloodOnsetZ);
    /// <summary>IEC 60079-29-2: first (low) alarm typically 10 %LEL, second (high) 20–25 %LEL.</summary>
    public double Ch4LowPctLel { get; init; } = 10.0;
    public double Ch4HighPctLel { get; init; } = 25.0;
    /// <summary>H2S: portable detector low alarm 10 ppm (NIOSH REL ceiling), high 15 ppm (ACGIH STEL of older TLV).</summary>
    public double H2sLowPpm { get; init; } = 10.0;
    public double H2sHighPpm { get; init; } = 15.0;
}

public sealed class ChargerRuleOptions
{
    /// <summary>Port/connector over-temperature: IEC 62196-1 limits contact temperature rise to 50 K; at 20 °C
    /// ambient a port at 60 °C is abnormal for a ≤ 1 kW e-bike charge (vendor cut-off practice 60–70 °C).</summary>
    public double OverheatC { get; init; } = 60.0;
    /// <summary>E-bike charging ports are rated 3–5 A at 220 V (≤ 1 kW); above the rating for 2 readings.</summary>
    public double OvercurrentA { get; init; } = 5.0;
    public int OvercurrentPersistenceReadings { get; init; } = 2;
    /// <summary>IEC 61008 / GB 16916 residual current devices for personal protection trip at 30 mA.</summary>
    public double LeakageMa { get; init; } = 30.0;
    /// <summary>A 48 V e-bike pack charges fully in 6–8 h; 10 h of continuous charging is abnormal.</summary>
    public long LongChargeMs { get; init; } = 10 * 3_600_000L;
    /// <summary>Thermal runaway precursor: while charging, temperature above <see cref="RunawayMinC"/> rising at
    /// ≥ <see cref="RunawayRiseCPerMin"/> over ≥ <see cref="RunawayMinSpanMs"/> (self-heating before venting), or any
    /// temperature ≥ <see cref="RunawayAbsoluteC"/>. Cuts the port's power.</summary>
    public double RunawayMinC { get; init; } = 45.0;
    public double RunawayRiseCPerMin { get; init; } = 1.0;
    public long RunawayMinSpanMs { get; init; } = 60_000;
    public long RunawayWindowMs { get; init; } = 5 * 60_000;
    public double RunawayAbsoluteC { get; init; } = 80.0;
    /// <summary>Early warning, raised as <c>charger.thermal_runaway</c> at <see cref="PrecursorSeverity"/> (no power
    /// cut) and upgraded to P1 with <c>cut_power</c> when the conditions above are met: while charging, the port
    /// temperature rising at ≥ <see cref="PrecursorRiseCPerMin"/> by ≥ <see cref="PrecursorMinDeltaC"/> over
    /// <see cref="PrecursorMinSpanMs"/>..<see cref="RunawayWindowMs"/>, at any temperature. A rising dT/dt is how
    /// chargers themselves spot a pack that has stopped absorbing charge and turns it into heat (NiMH/NiCd fast
    /// chargers terminate at ≈ 1 °C/min, Battery University BU-407/BU-408); twice that is also above anything normal
    /// charging does to a port (it follows the charging power with a thermal lag of about 10 minutes: ≤ 1 °C/min at
    /// a 260 W start). The 3 °C minimum keeps the NTC's noise (±0.2 °C) out.</summary>
    public double PrecursorRiseCPerMin { get; init; } = 2.0;
    public double PrecursorMinDeltaC { get; init; } = 3.0;
    public long PrecursorMinSpanMs { get; init; } = 20_000;
    public Smart.Core.Incidents.Severity PrecursorSeverity { get; init; } = Smart.Core.Incidents.Severity.P2;
    /// <summary>Current that counts as charging when the payload has no <c>state</c>.</summary>
    public double ChargingMinA { get; init; } = 0.2;
}

public sealed class CameraRuleOptions
{
    /// <summary>Minimum detector confidence for a <c>falling_object</c> event.</summary>
    public double FallingObjectConfidence { get; init; } = 0.6;
    /// <summary>The object's track must span more than this many floors (GB 51348-style 高空抛物 practice: an object
    /// from above the 2nd floor is dangerous); smaller spans are birds, leaves, balcony drips.</summary>
    public double FallingObjectMinFloorSpan { get; init; } = 2.0;
    public int BlockedPersistenceReadings { get; init; } = 2;
}

public sealed class StatisticalOptions
{
    /// <summary>Metrics that are flags or identifiers: no statistical detector runs on them.</summary>
    public IReadOnlySet<string> SkipMetrics { get; init; } =
        new HashSet<string>(StringComparer.Ordinal) { "alarm", "lid_open", "lens_blocked", "port", "seq", "energy_wh" };
    /// <summary>Resolution of each metric as devices report it (DESIGN §5 units): σ never goes below it, so a
    /// change of one least-significant step on a quiet metric is not "a million σ". Unknown metrics: 0.</summary>
    public IReadOnlyDictionary<string, double> Resolution { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["smoke_pct_per_m"] = 0.05, ["temp_c"] = 0.1, ["co_ppm"] = 1, ["tilt_deg"] = 0.1, ["displacement_mm"] = 0.5,
        ["water_level_cm"] = 1, ["ch4_pct_lel"] = 0.5, ["h2s_ppm"] = 0.5, ["fps"] = 1, ["voltage_v"] = 1,
        ["current_a"] = 0.05, ["power_w"] = 10, ["leak_ma"] = 0.5, ["battery_pct"] = 1, ["rssi_dbm"] = 2,
    };
    /// <summary>A layer-2 score becomes a <c>sensor.anomaly</c> incident only when it stays at or above
    /// <see cref="IncidentScore"/> for <see cref="IncidentReadings"/> consecutive readings, and at most once per
    /// <see cref="IncidentHoldoffMs"/> per device: scores always go to InfluxDB, incidents must stay rare.</summary>
    public double IncidentScore { get; init; } = 0.999;
    public int IncidentReadings { get; init; } = 10;
    public long IncidentHoldoffMs { get; init; } = 24 * 3_600_000L;
    /// <summary>A metric that used to vary and then repeats one value this many times, over at least
    /// <see cref="StuckMinMs"/>, is stuck (a dead sensor front end).</summary>
    public int StuckReadings { get; init; } = 60;
    public long StuckMinMs { get; init; } = 30 * 60_000;
    /// <summary>Exact repetition (State/RepeatTracker): a value repeated k times in a row is stuck once
    /// share^k ≤ <see cref="StuckRunProbability"/> (10⁻⁹: with ~10⁷ metric readings a day from the demo district, one
    /// chance run every few months), where share is how often the metric repeats in this state — learned from
    /// ≥ <see cref="StuckWarmupReadings"/> readings and at most <see cref="StuckMaxRepeatShare"/> — and the run lasted
    /// <see cref="StuckMinMs"/>.</summary>
    public double StuckRunProbability { get; init; } = 1e-9;
    public int StuckWarmupReadings { get; init; } = 120;
    public double StuckMaxRepeatShare { get; init; } = 0.5;
}

public sealed class CorrelationOptions
{
    /// <summary>Fire alarms from ≥ <see cref="FireMinDevices"/> devices of one building within this window confirm a fire.</summary>
    public long FireWindowMs { get; init; } = 5 * 60_000;
    public int FireMinDevices { get; init; } = 2;
    /// <summary>One confirmed fire per building per this period.</summary>
    public long FireConfirmedHoldoffMs { get; init; } = 30 * 60_000;
}
