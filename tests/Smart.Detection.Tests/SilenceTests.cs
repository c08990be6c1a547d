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
