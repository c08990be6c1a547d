using System.Text.Json;
using FirmwareSim.Engine;
using FirmwareSim.Firmware;
using FirmwareSim.Models;
using FirmwareSim.Registry;
using FirmwareSim.Scenarios;
using FirmwareSim.Tests.Engine;
using Smart.Core;

namespace FirmwareSim.Tests.Firmware;

/// <summary>Report on change: a periodic report, plus at once when a field moved by its delta, not more often than the
/// minimum spacing; flags and states at once.</summary>
public class ReportPolicyTests
{
    private static readonly ReportPolicy Policy = new(10_000, 30_000, new Dictionary<string, double> { ["water_level_cm"] = 2 });

    private static Reading Manhole(double water, bool lid = false) =>
        new Reading(TopicChannel.Telemetry).Number("water_level_cm", water, 1).Bool("lid_open", lid).Number("rssi_dbm", -80, 0);

    private static bool Reports(Reading now, long sinceLastMs, Reading last) => Policy.ShouldReport(now, 1_000_000, 1_000_000 - sinceLastMs, last.Fields);

    [Theory]
    [InlineData(148.1, false)]
    [InlineData(148.0, true)]
    [InlineData(147.9, true)]
    public void A_move_of_the_delta_since_the_last_report_is_reported(double water, bool reported) =>
        Assert.Equal(reported, Reports(Manhole(water), 40_000, Manhole(150)));

    [Theory]
    [InlineData(29_999, false)]
    [InlineData(30_000, true)]
    public void Not_sooner_than_the_minimum_spacing(long sinceLastMs, bool reported) =>
        Assert.Equal(reported, Reports(Manhole(140), sinceLastMs, Manhole(150)));

    [Fact]
    public void A_flag_change_is_reported_at_once() => Assert.True(Reports(Manhole(150, lid: true), 1_000, Manhole(150)));

    [Fact]
    public void Fields_without_a_delta_only_travel_with_reports()
    {
        var noisier = Manhole(150);
        noisier.SetNumber("rssi_dbm", -60);
        Assert.False(Reports(noisier, 40_000, Manhole(150)));
    }

    [Fact]
    public void A_fire_is_reported_as_it_grows_and_the_alarm_goes_out_within_one_local_sample()
    {
        var start = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var building = DeviceRegistry.Demo().Where(d => d.Device.BuildingId == "g1-b1").ToList();
        var ids = building.Where(d => d.Kind == DeviceKind.Fire).Take(3).Select(d => d.Id).ToList();
        ScenarioInstance? fire = null;
        var messages = TrafficEngineTests.Run(21, TimeSpan.FromMinutes(15), e => fire = e.Inject(Library.Scenarios["fire-building"], start + 600_000, ids), building);
        var mine = messages.Where(m => m.Topic.EndsWith($"/{ids[0]}/telemetry", StringComparison.Ordinal))
            .Select(m => (m.SimMs, Json: JsonDocument.Parse(m.Payload).RootElement)).ToList();
        var before = mine.Where(m => m.SimMs < fire!.OnsetMs).Select(m => m.SimMs).ToList();
        Assert.All(before.Zip(before.Skip(1), (a, b) => b - a), gap => Assert.InRange(gap, 27_000, 33_000)); // heartbeats only
        var ramp = mine.Where(m => m.SimMs >= fire!.OnsetMs && m.SimMs < fire.OnsetMs + 120_000).ToList();
        Assert.InRange(ramp.Count, 12, 16); // every 10 s local sample while the smoke climbs, plus the heartbeats
        var firstAlarm = mine.First(m => m.Json.GetProperty("alarm").GetBoolean());
        Assert.InRange(firstAlarm.SimMs - fire!.OnsetMs, 20_000, 31_000); // 3 %/m is reached ~20 s after onset
    }
}
