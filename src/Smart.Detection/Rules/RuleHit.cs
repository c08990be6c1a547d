using Smart.Core.Incidents;
namespace Smart.Detection.Rules;

/// <summary>A rule whose condition holds on this reading (before debouncing).</summary>
internal readonly record struct RuleHit(string Type, Severity Severity, string Metric, double Value, string Reason)
{
    public static RuleHit Of(string type, string metric, double value, string reason) =>
        new(type, IncidentTypes.DefaultSeverity(type), metric, value, reason);
}
