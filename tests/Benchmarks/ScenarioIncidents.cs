using System.Globalization;
using Microsoft.Data.Sqlite;
using Smart.Core.Demo;
using Smart.Core.Incidents;
using Smart.Detection.Evaluation;
using Smart.Incidents;
using Smart.Testing;

namespace Smart.Benchmarks;

/// <summary>What the operations centre sees of a scenario run: incidents, not alerts. Every alert of the run, in the
/// order the engine raised it, goes to a real <see cref="IncidentStore"/> (SQLite in a temp directory, the demo district
/// loaded, its clock at the alert's time) as the host's alert sink raises it (<see cref="Smart.Detection.DetectionAlert.ToAlertInput"/>),
/// so the store folds them as it does live: per device and type, a fire per detector and then per building, a
/// building's outage as one. An incident belongs to the scenario of the alert that created it. Nobody handles the
/// incidents meanwhile, so a condition that comes back later in the day renews its still-open incident.</summary>
internal static class ScenarioIncidents
{
    private static readonly DemoDistrict District = DemoDistrict.Create();

    /// <summary>An incident as it stands after the run, and the scenario instance whose alert created it (null: none).</summary>
    public sealed record Raised(string? Scenario, Incident Incident);

    /// <param name="Refused">Alerts the store refused (unknown or retired device).</param>
    /// <param name="Touched">For every alert raised, its scenario and the incident it created or renewed.</param>
    public sealed record View(IReadOnlyList<Raised> Incidents, IReadOnlyList<ScenarioAlert> Alerts, int Refused, IReadOnlyList<(string? Scenario, long Id)> Touched)
    {
        public IReadOnlyList<Raised> Of(string scenario) => [.. Incidents.Where(r => r.Scenario == scenario)];

        /// <summary>The incidents a scenario's alerts created or renewed (one still open from an earlier event on the same
        /// device takes a new finding: nobody closes incidents in the replay).</summary>
        public IReadOnlyList<Raised> Reached(string scenario)
        {
            var ids = Touched.Where(t => t.Scenario == scenario).Select(t => t.Id).ToHashSet();
            return [.. Incidents.Where(r => ids.Contains(r.Incident.Id))];
        }

        /// <summary>Incidents created by an alert about no scenario: false incidents on the operators' screen.</summary>
        public IReadOnlyList<Raised> Unattributed => [.. Incidents.Where(r => r.Scenario is null)];

        /// <summary>Most incidents any one scenario instance created.</summary>
        public int MaxPerScenario => Incidents.Where(r => r.Scenario is not null).GroupBy(r => r.Scenario).Select(g => g.Count()).DefaultIfEmpty(0).Max();
    }

    /// <summary>Raises <paramref name="alerts"/> in order into a fresh store and reads back the incidents they made.</summary>
    public static async Task<View> ReplayAsync(IReadOnlyList<ScenarioAlert> alerts)
    {
        using var dir = new TempDirectory();
        var clock = new AlertClock();
        var store = await IncidentStore.OpenAsync(new IncidentStoreOptions { ConnectionString = $"Data Source={dir.File("incidents.db")}" }, clock);
        await store.LoadDistrictAsync(District);
        var created = new List<(string? Scenario, long Id)>();
        var touched = new List<(string? Scenario, long Id)>();
        var seen = new HashSet<long>();
        var refused = 0;
        foreach (var a in alerts)
        {
            clock.NowMs = a.Alert.TimestampMs;
            try
            {
                var change = await store.RaiseAsync(a.Alert.ToAlertInput());
                if (seen.Add(change.Incident.Id)) created.Add((a.Scenario, change.Incident.Id));
                touched.Add((a.Scenario, change.Incident.Id));
            }
            catch (IncidentException e) when (e.Error == IncidentError.Invalid)
            {
                refused++;
            }
        }
        var incidents = new List<Raised>();
        foreach (var (scenario, id) in created)
            incidents.Add(new Raised(scenario, await store.GetAsync(id, Scope.All) ?? throw new InvalidOperationException($"incident {id} vanished")));
        SqliteConnection.ClearAllPools(); // the temp directory can go
        return new View(incidents, alerts, refused, touched);
    }

    /// <summary>One line per scenario instance of <paramref name="report"/> (in injection order): its alerts, its
    /// incidents and their types with final severity and the alerts folded into each; then the unattributed ones.</summary>
    public static IEnumerable<string> Table(ScenarioReport report, View view)
    {
        yield return $"{"scenario",-28} {"alerts",6} {"incidents",9}  incidents (type severity, +alerts folded in)";
        foreach (var scenario in report.Outcomes.Select(o => o.Truth.Scenario).Distinct())
            yield return Line(scenario, view.Alerts.Count(a => a.Scenario == scenario), view.Of(scenario));
        yield return Line("(no scenario)", view.Alerts.Count(a => a.Scenario is null), view.Unattributed);
    }

    private static string Line(string scenario, int alerts, IReadOnlyList<Raised> incidents) => string.Create(CultureInfo.InvariantCulture,
        $"{scenario,-28} {alerts,6} {incidents.Count,9}  {string.Join(", ", incidents.Select(r => $"{r.Incident.Type} {r.Incident.Severity} +{r.Incident.UpdateCount}"))}");

    /// <summary>The type family (<c>fire</c>, <c>manhole</c>, <c>device</c>, …) of an incident type.</summary>
    public static string Family(string type) => type[..type.IndexOf('.', StringComparison.Ordinal)];

    /// <summary>A clock that reads the time of the alert being raised.</summary>
    private sealed class AlertClock : TimeProvider
    {
        public long NowMs { get; set; }

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(NowMs);
    }
}
