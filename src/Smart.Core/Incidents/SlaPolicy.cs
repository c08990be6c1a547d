namespace Smart.Core.Incidents;

/// <summary>
/// Time limits of one incident type (限时处置): accept, arrive and resolve counted from creation (or from a reopen);
/// verify (核查时限) counted from the worker's resolution — staff verify and close it, or send it back, within it.
/// A missed limit escalates the incident one level.
/// </summary>
public sealed class SlaLimits
{
    public TimeSpan Accept { get; set; }
    public TimeSpan Arrive { get; set; }
    public TimeSpan Resolve { get; set; }
    /// <summary>核查时限; zero: no verification limit (also what a configured type that does not name one gets).</summary>
    public TimeSpan Verify { get; set; }

    public SlaLimits() { }

    public SlaLimits(TimeSpan accept, TimeSpan arrive, TimeSpan resolve, TimeSpan verify = default) =>
        (Accept, Arrive, Resolve, Verify) = (accept, arrive, resolve, verify);
}

/// <summary>
/// Time limits per incident type, bound from configuration (<c>Incidents:Sla:Types:fire.smoke:Accept = 00:03:00</c>);
/// a type without its own entry uses its severity's limits. The defaults follow common 网格化 practice:
/// emergencies (P1) accepted in minutes and handled within hours, notices (P4) within days; staff verify a handled
/// emergency the same half-day and anything else within the resolve limit of its severity (at least a day: 核查
/// needs a visit or a call during office hours).
/// </summary>
public sealed class SlaPolicy
{
    public Dictionary<string, SlaLimits> Types { get; set; } = new(StringComparer.Ordinal)
    {
        // Fire confirmed by several detectors and charger thermal runaway: lives at stake, fastest limits.
        [IncidentTypes.FireConfirmed] = new(TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), TimeSpan.FromHours(4)),
        [IncidentTypes.ChargerThermalRunaway] = new(TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), TimeSpan.FromHours(4)),
        // An open manhole is a fall hazard on the road: like P1 for arrival.
        [IncidentTypes.ManholeOpen] = new(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(20), TimeSpan.FromHours(4), TimeSpan.FromHours(4)),
    };

    public Dictionary<Severity, SlaLimits> BySeverity { get; set; } = new()
    {
        [Severity.P1] = new(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(2), TimeSpan.FromHours(4)),
        [Severity.P2] = new(TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromHours(8), TimeSpan.FromDays(1)),
        [Severity.P3] = new(TimeSpan.FromHours(1), TimeSpan.FromHours(4), TimeSpan.FromDays(1), TimeSpan.FromDays(1)),
        [Severity.P4] = new(TimeSpan.FromHours(4), TimeSpan.FromDays(1), TimeSpan.FromDays(3), TimeSpan.FromDays(3)),
    };

    public SlaLimits For(string type, Severity severity) =>
        Types.TryGetValue(type, out var limits) ? limits
        : BySeverity.TryGetValue(severity, out limits) ? limits
        : throw new InvalidOperationException($"No SLA limits for type '{type}' or severity {severity.Name()}; configure Incidents:Sla:BySeverity:{severity}.");
}
