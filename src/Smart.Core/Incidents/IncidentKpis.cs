namespace Smart.Core.Incidents;

/// <summary>
/// The grid-governance KPIs (DESIGN §8) over the incidents created in [<see cref="From"/>, <see cref="To"/>) in a scope.
/// Rates are 0–1 and null when their denominator is empty; times in minutes.
/// </summary>
public sealed record IncidentKpis
{
    public required Scope Scope { get; init; }
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }
    public int Total { get; init; }
    public int Open { get; init; }
    public int Closed { get; init; }
    public int Cancelled { get; init; }
    /// <summary>结案率: closed / (total − cancelled).</summary>
    public double? ClosureRate { get; init; }
    /// <summary>小事不出网格: closed without ever leaving grid level / closed.</summary>
    public double? InGridResolutionRate { get; init; }
    /// <summary>按期结案率: closed with the (last) resolution within the resolve limit / closed.</summary>
    public double? OnTimeClosureRate { get; init; }
    /// <summary>核查及时率: closed within the verification limit (核查时限) of the worker's (last) resolution / closed with
    /// such a limit.</summary>
    public double? VerifiedOnTimeRate { get; init; }
    /// <summary>延期率: not cancelled, and resolved late or still unresolved past the limit / (total − cancelled).</summary>
    public double? OverdueRate { get; init; }
    /// <summary>返工率: reopened at least once / resolved at least once.</summary>
    public double? ReworkRate { get; init; }
    /// <summary>Mean of first acceptance − creation.</summary>
    public double? MeanMinutesToAccept { get; init; }
    /// <summary>Mean of (last) resolution − creation.</summary>
    public double? MeanMinutesToResolve { get; init; }
    /// <summary>满意度: mean of the 1–5 ratings given.</summary>
    public double? MeanSatisfaction { get; init; }
    /// <summary>Cancelled (false alarm) / total, per device kind (<c>fire</c>, <c>manhole</c> …) of device-raised incidents.</summary>
    public IReadOnlyDictionary<string, double> FalseAlarmRateByKind { get; init; } = new Dictionary<string, double>();
}

/// <summary>Computes <see cref="IncidentKpis"/> from incident records (pure, so it is checked against hand-computed values).</summary>
public static class IncidentKpiCalculator
{
    public static IncidentKpis Compute(IReadOnlyCollection<Incident> incidents, Scope scope, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        var inRange = incidents.Where(i => scope.Covers(i) && i.CreatedAt >= from && i.CreatedAt < to).ToList();
        var closed = inRange.Where(i => i.State == IncidentState.Closed).ToList();
        var live = inRange.Where(i => i.State != IncidentState.Cancelled).ToList();
        var everResolved = inRange.Where(i => i.ResolvedAt is not null).ToList();
        return new IncidentKpis
        {
            Scope = scope, From = from, To = to,
            Total = inRange.Count,
            Open = inRange.Count(i => i.State.IsOpen()),
            Closed = closed.Count,
            Cancelled = inRange.Count - live.Count,
            ClosureRate = Rate(closed.Count, live.Count),
            InGridResolutionRate = Rate(closed.Count(i => i.Level == IncidentLevel.Grid), closed.Count),
            OnTimeClosureRate = Rate(closed.Count(i => i.ResolvedAt <= i.ResolveDueAt), closed.Count),
            VerifiedOnTimeRate = Rate(closed.Count(i => i.ClosedAt <= i.VerifyDueAt), closed.Count(i => i.VerifyDueAt is not null)),
            OverdueRate = Rate(live.Count(i => IsOverdue(i, now)), live.Count),
            ReworkRate = Rate(everResolved.Count(i => i.ReopenCount > 0), everResolved.Count),
            MeanMinutesToAccept = Mean(inRange.Where(i => i.AcceptedAt is not null).Select(i => (i.AcceptedAt!.Value - i.CreatedAt).TotalMinutes)),
            MeanMinutesToResolve = Mean(everResolved.Select(i => (i.ResolvedAt!.Value - i.CreatedAt).TotalMinutes)),
            MeanSatisfaction = Mean(inRange.Where(i => i.Satisfaction is not null).Select(i => (double)i.Satisfaction!.Value)),
            FalseAlarmRateByKind = inRange.Where(i => i.DeviceKind is not null)
                .GroupBy(i => i.DeviceKind!.Value.Name())
                .ToDictionary(g => g.Key, g => (double)g.Count(i => i.State == IncidentState.Cancelled) / g.Count()),
        };
    }

    private static bool IsOverdue(Incident i, DateTimeOffset now) => i.ResolveDueAt is { } due &&
        (i.State is IncidentState.Resolved or IncidentState.Closed ? i.ResolvedAt > due : now > due);

    private static double? Rate(int numerator, int denominator) => denominator == 0 ? null : (double)numerator / denominator;

    private static double? Mean(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? null : list.Average();
    }
}
