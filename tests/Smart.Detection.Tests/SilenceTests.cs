using Smart.Core;
using Smart.Detection;
using Smart.Core.Incidents;

namespace Smart.Detection.Tests;

public class SilenceTests
{
    private static DetectionEngine ReportingEvery10s(int readings)
    {
        var engine = new DetectionEngine();
        for (var i = 0; i < readings; i++) engine.Process(Readings.Fire("F1", Readings.T0 + i * 10_000L));
        return engine;
    }

    private static readonly long Last = Readings.T0 + 99 * 10_000L;

    [Fact]
    public void A_silent_device_goes_offline_once_after_five_minutes()
    {
        var engine = ReportingEvery10s(100);
        Assert.Empty(engine.CheckSilence(Last + 4 * 60_000).Alerts);
        var offline = engine.CheckSilence(Last + 5 * 60_000 + 1);
        var alert = Assert.Single(offline.Alerts);
        Assert.Equal((IncidentTypes.DeviceOffline, "F1", Severity.P3), (alert.IncidentType, alert.DeviceId, alert.Severity));
        Assert.Equal("silence", Assert.Single(offline.Scores).Detector);
        var again = engine.CheckSilence(Last + 10 * 60_000);
        Assert.Empty(again.Alerts);
        Assert.Single(again.Scores);
    }

    [Fact]
    public void A_device_is_judged_only_for_the_time_it_could_have_been_heard()
    {
        // The host was cut off from its broker (or down) for 30 min; it listens again at Last + 30 min.
        var engine = ReportingEvery10s(100);
        var since = Last + 30 * 60_000;
        Assert.Empty(engine.CheckSilence(since + 30_000, since).Scores);
        Assert.Empty(engine.CheckSilence(since + 4 * 60_000, since).Alerts);
        var offline = Assert.Single(engine.CheckSilence(since + 5 * 60_000 + 1, since).Alerts);
        Assert.Equal(35 * 60.0, offline.Value, 0.01); // the silence reported is the device's whole silence
    }

    [Fact]
    public void A_will_message_heard_before_a_break_in_listening_waits_for_its_grace_after_it()
    {
        var engine = ReportingEvery10s(10);
        var saidAt = Readings.T0 + 100_000;
        engine.ProcessStatus("F1", DeviceKind.Fire, "B1", saidAt, online: false);
        var since = saidAt + 10 * 60_000;
        Assert.Empty(engine.CheckSilence(since + 60_000, since).Alerts);
        Assert.Single(engine.CheckSilence(since + 2 * 60_000, since).Alerts);
    }

    /// <summary>Passes of the silence check every 30 s over [from, to]; the alerts they raised.</summary>
    private static List<DetectionAlert> SilencePasses(DetectionEngine engine, long from, long to)
    {
        var alerts = new List<DetectionAlert>();
        for (var t = from; t <= to; t += 30_000) alerts.AddRange(engine.CheckSilence(t).Alerts);
        return alerts;
    }

    [Fact]
    public void Devices_of_one_building_going_dark_together_are_one_outage_incident_that_each_joins()
    {
        // A power cut at T0 + 1 h in building B1: three detectors that reported every 60, 90 and 120 s go silent together;
        // each is found offline when its own limit passes, minutes apart. A detector in B2 goes dark too, on its own.
        var engine = new DetectionEngine();
        var cut = Readings.T0 + 3_600_000;
        foreach (var (id, every, building) in new[] { ("F1", 60_000L, "B1"), ("F2", 90_000L, "B1"), ("F3", 120_000L, "B1"), ("F9", 60_000L, "B2") })
            for (var t = Readings.T0; t < cut; t += every) engine.Process(Readings.Fire(id, t, building: building));

        var alerts = SilencePasses(engine, cut, cut + 30 * 60_000);

        Assert.All(alerts, a => Assert.Equal(IncidentTypes.DeviceOffline, a.IncidentType));
        var b1 = alerts.Where(a => a.BuildingId == "B1").ToList();
        Assert.Equal(["F1", "F1", "F1"], b1.Select(a => a.DeviceId)); // one incident, F1's, which F2 and F3 join
        Assert.Equal(["", "F2", "F3"], b1.Select(a => string.Join(",", a.RelatedDeviceIds ?? [])));
        Assert.Equal([Severity.P3, Severity.P3, Severity.P2], b1.Select(a => a.Severity)); // three dark together: P2
        Assert.Contains("3 devices of one building went offline", b1[2].Reason);
        var b2 = Assert.Single(alerts, a => a.BuildingId == "B2");
        Assert.Equal(("F9", null), (b2.DeviceId, b2.RelatedDeviceIds));
    }

    [Fact]
    public void A_device_going_dark_after_the_first_came_back_or_long_after_it_has_its_own_incident()
    {
        var engine = new DetectionEngine();
        var t0 = Readings.T0;
        for (var t = t0; t < t0 + 3_600_000; t += 60_000) { engine.Process(Readings.Fire("F1", t)); engine.Process(Readings.Fire("F2", t + 30_000)); }
        var silentFrom = t0 + 3_600_000 - 60_000;
        Assert.Equal("F1", Assert.Single(SilencePasses(engine, silentFrom + 5 * 60_000, silentFrom + 5 * 60_000)).DeviceId);
        engine.Process(Readings.Fire("F1", silentFrom + 6 * 60_000)); // F1 is back before F2 is found offline
        var f2 = Assert.Single(engine.CheckSilence(silentFrom + 5 * 60_000 + 30_000).Alerts);
        Assert.Equal(("F2", null), (f2.DeviceId, f2.RelatedDeviceIds));

        // F1 goes dark again 20 min later: F2's outage is older than the window, so F1 starts a new one.
        var later = SilencePasses(engine, silentFrom + 27 * 60_000, silentFrom + 27 * 60_000);
        Assert.Equal(("F1", null), Assert.Single(later) is var a ? (a.DeviceId, a.RelatedDeviceIds) : default);
    }

    [Fact]
    public void A_device_that_comes_back_can_go_offline_again()
    {
        var engine = ReportingEvery10s(100);
        Assert.Single(engine.CheckSilence(Last + 6 * 60_000).Alerts);
        engine.Process(Readings.Fire("F1", Last + 7 * 60_000));
        Assert.Empty(engine.CheckSilence(Last + 8 * 60_000).Scores);
        Assert.Single(engine.CheckSilence(Last + 13 * 60_000).Alerts);
    }

    [Fact]
    public void A_slow_reporter_is_judged_by_its_own_interval()
    {
        var engine = new DetectionEngine();
        for (var i = 0; i < 20; i++) engine.Process(Readings.Of(DeviceKind.Manhole, "M1", Readings.T0 + i * 600_000L, ("tilt_deg", 0.3)));
        var last = Readings.T0 + 19 * 600_000L;
        Assert.Empty(engine.CheckSilence(last + 30 * 60_000).Alerts);   // 3 intervals late: fine
        Assert.Single(engine.CheckSilence(last + 51 * 60_000).Alerts);  // > 5 intervals
    }

    [Fact]
    public void A_will_message_takes_the_device_offline_after_the_grace_period()
    {
        var engine = ReportingEvery10s(10);
        var t = Readings.T0 + 95_000;
        engine.ProcessStatus("F1", DeviceKind.Fire, "B1", t, online: false);
        Assert.Empty(engine.CheckSilence(t + 60_000).Alerts);
        Assert.Contains("will message", Assert.Single(engine.CheckSilence(t + 2 * 60_000).Alerts).Reason);
    }
}
