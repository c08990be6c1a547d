namespace Smart.Core.Incidents;

/// <summary>Time limits of one incident type (限时处置), each counted from creation (or from a reopen).</summary>
public sealed class SlaLimits
{
    public TimeSpan Accept { get; set; }
    public TimeSpan Arrive { get; set; }
    public TimeSpan Resolve { get; set; }

    public SlaLimits() { }

    public SlaLimits(TimeSpan accept, TimeSpan arrive, TimeSpan resolve) => (Accept, Arrive, Resolve) = (accept, arrive, resolve);

    public TimeSpan Of(SlaLimit limit) => limit switch
    {
        SlaLimit.Accept => Accept,
        SlaLimit.Arrive => Arrive,
        SlaLimit.Resolve => Resolve,
        _ => throw new ArgumentOutOfRangeException(nameof(limit), limit, null),
    };
}

/// <summary>The three limits whose miss escalates an incident.</summary>
public enum SlaLimit { Accept, Arrive, Resolve }

/// <summary>
/// Time limits per incident type, bound from configuration (<c>Incidents:Sla:Types:fire.smoke:Accept = 00:03:00</c>);
/// a type without its own entry uses its severity's limits. The defaults follow common 网格化 practice:
/// emergencies (P1) accepted in minutes and handled within hours, notices (P4) within days.
/// </summary>
public sealed class SlaPolicy
{
    public Dictionary<string, SlaLimits> Types { get; set; } = new(StringComparer.Ordinal)
    {
        // Fire confirmed by several detectors and charger thermal runaway: lives at stake, fastest limits.
        [IncidentTypes.FireConfirmed] = new(TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1)),
        [IncidentTypes.ChargerThermalRunaway] = new(TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1)),
        // An open manhole is a fall hazard on the road: like P1 for arrival.
        [IncidentTypes.ManholeOpen] = new(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(20), TimeSpan.FromHours(4)),
    };

    public Dictionary<Severity, SlaLimits> BySeverity { get; set; } = new()
    {
        [Severity.P1] = new(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(2)),
        [Severity.P2] = new(TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromHours(8)),
        [Severity.P3] = new(TimeSpan.FromHours(1), TimeSpan.FromHours(4), TimeSpan.FromDays(1)),
        [Severity.P4] = new(TimeSpan.FromHours(4), TimeSpan.FromDays(1), TimeSpan.FromDays(3)),
    };

    public SlaLimits For(string type, Severity severity) =>
        Types.TryGetValue(type, out var limits) ? limits
        : BySeverity.TryGetValue(severity, out limits) ? limits
        : throw new InvalidOperationException($"No SLA limits for type '{type}' or severity {severity.Name()}; configure Incidents:Sla:BySeverity:{severity}.");
}
