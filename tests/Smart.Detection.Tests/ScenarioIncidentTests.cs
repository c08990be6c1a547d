using Smart.Benchmarks;
using Smart.Core.Incidents;
using Xunit.Abstractions;

namespace Smart.Detection.Tests;

/// <summary>Issue 4, "a screen full of false alarms gets ignored", as the operations centre sees it: the alerts of the
/// scenario run of <see cref="SimScenarioTests"/> (every scenario with an expected incident, one per 10 min in 4.5 h of
/// all demo devices' traffic) raised in order into a real incident store (<see cref="ScenarioIncidents"/>). Each scenario
/// shows up as an incident of its kind, a burning building as one (its first alarm's incident, become the confirmed fire
/// that every later alarm joins), no scenario as more than <see cref="MaxPerScenario"/>, and nothing else as any.</summary>
public class ScenarioIncidentTests(ITestOutputHelper output)
{
    private const int Seed = 20261122;

    /// <summary>A device's findings of one family are one incident (a lifted lid: open, displaced, tilted; a charger's
    /// runaway, over-temperature, over-current) and a building fire one (its first alarm's incident becomes the confirmed
    /// fire), so one event is one incident; a layer-2 <c>sensor.anomaly</c> before a rule's alarm is a second (charger
    /// leakage on this run). Measured: 16 incidents for 17 scenarios (one scenario's alarm renewed an earlier one's
    /// charger, still open). More means a scenario storms.</summary>
    private const int MaxPerScenario = 2;

    [Fact]
    public async Task Each_scenario_is_a_few_incidents_of_its_kind_and_nothing_else_is_one()
    {
        var report = DetectScenarios.Run(Seed, hours: 4.5, [.. DetectScenarios.Short, "sensor-stuck"], warmupMs: 45 * 60_000, everyMs: 10 * 60_000);
        var view = await ScenarioIncidents.ReplayAsync(report.Alerts);
        foreach (var line in ScenarioIncidents.Table(report, view)) output.WriteLine(line);
        output.WriteLine($"{report.Alerts.Count} alerts → {view.Incidents.Count} incidents ({view.Refused} refused)");

        Assert.Equal(0, view.Refused);
        Assert.Empty(view.Unattributed);
        foreach (var scenario in report.Outcomes.GroupBy(o => o.Truth.Scenario))
        {
            var incidents = view.Of(scenario.Key);
            var reached = view.Reached(scenario.Key); // created, or an earlier event's on the same device, still open, renewed
            var families = scenario.Select(o => ScenarioIncidents.Family(o.Truth.ExpectedType!)).ToHashSet();
            Assert.True(reached.Any(r => families.Contains(ScenarioIncidents.Family(r.Incident.Type))),
                $"{scenario.Key}: no incident of {string.Join("/", families)} among {string.Join(", ", reached.Select(r => r.Incident.Type))}");
            Assert.True(incidents.Count <= MaxPerScenario, $"{scenario.Key}: {incidents.Count} incidents");
        }
        var fire = report.Outcomes.Single(o => o.Truth.ExpectedType == IncidentTypes.FireConfirmed).Truth.Scenario;
        var burning = Assert.Single(view.Of(fire)); // the first alarm's incident, become the confirmed fire
        Assert.Equal((IncidentTypes.FireConfirmed, Severity.P1), (burning.Incident.Type, burning.Incident.Severity));
    }
}
