using System.Text.Json;
using Smart.Core;
using Smart.Core.Incidents;
using Smart.Testing;

namespace Smart.Incidents.Tests;

public abstract class RaiseTests(IStoreProvider provider) : StoreTestBase(provider)
{
    [Fact]
    public async Task An_alert_creates_an_incident_in_the_devices_grid_and_dispatches_it_to_the_least_loaded_worker_on_duty()
    {
        var first = await RaiseAsync("fire-g2-b3-1");
        Assert.Equal("dispatched", first.Change);
        var incident = first.Incident;
        Assert.Equal(new IncidentLocation("st1", "c1", "g2", "g2-b3"), incident.Location);
        Assert.Equal((IncidentLevel.Grid, Severity.P1, DeviceKind.Fire), (incident.Level, incident.Severity, incident.DeviceKind!.Value));
        Assert.Equal("p-g2-w1", incident.AssigneeId); // both idle: lowest id
        var second = await RaiseAsync("fire-g2-b3-2");
        Assert.Equal("p-g2-w2", second.Incident.AssigneeId); // w1 has one in hand
        await DriveToAsync(first.Incident.Id, IncidentState.Closed);
        Assert.Equal("p-g2-w1", (await RaiseAsync("fire-g2-b3-3")).Incident.AssigneeId); // w1 free again, w2 busy
        var events = await Store.ReadEventsAsync(0, 100);
        Assert.Equal(["created", "dispatched"], events.Where(e => e.Incident.Id == second.Incident.Id).Select(e => e.Change));
        var now = Clock.GetUtcNow(); // P1 smoke: accept 5 min, arrive 15 min, resolve 2 h
        Assert.Equal((now.AddMinutes(5), now.AddMinutes(15), now.AddHours(2)), (incident.AcceptDueAt!.Value, incident.ArriveDueAt!.Value, incident.ResolveDueAt!.Value));
    }

    [Fact]
    public async Task New_evidence_updates_the_open_incident_of_the_same_device_and_type()
    {
        var first = await RaiseAsync("fire-g1-b1-1", severity: Severity.P2, value: 10);
        Clock.Advance(TimeSpan.FromSeconds(30));
        var again = await RaiseAsync("fire-g1-b1-1", severity: Severity.P1, value: 25);
        Assert.Equal("updated", again.Change);
        Assert.Equal(first.Incident.Id, again.Incident.Id);
        Assert.Equal((Severity.P1, 1), (again.Incident.Severity, again.Incident.UpdateCount));
        Assert.Equal(25, again.Incident.Evidence!.Value.GetProperty("value").GetDouble());
        Assert.Equal(first.Incident.Evidence!.Value.GetProperty("first_ts").GetString(), again.Incident.Evidence!.Value.GetProperty("first_ts").GetString());
        var lower = await RaiseAsync("fire-g1-b1-1", severity: Severity.P4);
        Assert.Equal(Severity.P1, lower.Incident.Severity); // severity only rises
        var otherType = await RaiseAsync("cam-g1-b1", IncidentTypes.CameraBlocked);
        var sameDeviceOtherType = await RaiseAsync("cam-g1-b1", IncidentTypes.CameraFallingObject);
        Assert.NotEqual(otherType.Incident.Id, sameDeviceOtherType.Incident.Id); // a camera's findings are no family: per type
        await DriveToAsync(first.Incident.Id, IncidentState.Closed);
        var afterClose = await RaiseAsync("fire-g1-b1-1");
        Assert.NotEqual(first.Incident.Id, afterClose.Incident.Id);
    }

    [Fact]
    public async Task A_finding_on_a_resolved_incident_reopens_it_as_rework_and_sends_it_back_to_the_worker_who_resolved_it()
    {
        var fire = await RaiseAsync("fire-g2-b1-1", severity: Severity.P2);
        var other = await RaiseAsync("fire-g2-b2-1"); // w2's
        Assert.Equal(("p-g2-w1", "p-g2-w2"), (fire.Incident.AssigneeId, other.Incident.AssigneeId));
        await DriveToAsync(fire.Incident.Id, IncidentState.Resolved);
        await RaiseAsync("fire-g2-b3-1"); // w1 again (tie), then w1 has the most in hand
        await RaiseAsync("fire-g2-b3-2");
        Clock.Advance(TimeSpan.FromMinutes(20));
        await Store.ProcessDueTimersAsync(Clock.GetUtcNow()); // the others' limits

        var again = await RaiseAsync("fire-g2-b1-1", IncidentTypes.FireCo, value: 71);
        Assert.Equal(("dispatched", fire.Incident.Id, IncidentState.Dispatched), (again.Change, again.Incident.Id, again.Incident.State));
        Assert.Equal(("p-g2-w1", 1, Severity.P1), (again.Incident.AssigneeId, again.Incident.ReopenCount, again.Incident.Severity));
        Assert.Equal(71, again.Incident.Evidence!.Value.GetProperty("value").GetDouble());
        var now = Clock.GetUtcNow(); // all three limits again, from the recurrence, at the new finding's P1
        Assert.Equal((now.AddMinutes(5), now.AddMinutes(15), now.AddHours(2)), (again.Incident.AcceptDueAt!.Value, again.Incident.ArriveDueAt!.Value, again.Incident.ResolveDueAt!.Value));
        var history = (await Store.GetHistoryAsync(fire.Incident.Id, Scope.All))!;
        Assert.Equal(["created", "dispatched", "accepted", "on_site", "resolved", "reopened", "dispatched"], history.Select(e => e.Change));
        Assert.Equal((IncidentState.Resolved, "复发 Recurred: over threshold"), (history[^2].FromState, history[^2].Note));

        // The accept limit, missed, escalates it like any other; the worker handles it again and staff verify.
        Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, await Store.ProcessDueTimersAsync(Clock.GetUtcNow()));
        var closed = await DriveToAsync(fire.Incident.Id, IncidentState.Closed);
        Assert.Equal((1, 1), (closed.ReopenCount, closed.EscalationCount));
    }

    [Fact]
    public async Task A_recurrence_with_nobody_on_duty_waits_reopened_for_its_level()
    {
        var incident = await RaiseAsync("fire-g1-b1-1");
        await DriveToAsync(incident.Incident.Id, IncidentState.Resolved);
        await Store.SetRosterAsync("g1", []);
        var again = await RaiseAsync("fire-g1-b1-1");
        Assert.Equal(("reopened", IncidentState.Reopened, 1), (again.Change, again.Incident.State, again.Incident.ReopenCount));
        Assert.NotNull(again.Incident.AcceptDueAt);
    }

    [Fact]
    public async Task A_confirmed_fire_is_one_open_incident_of_its_building_whichever_detectors_confirm_it()
    {
        // Two hosts that each saw a different pair of the building's detectors both confirm the fire.
        var first = await RaiseAsync("fire-g1-b1-1", IncidentTypes.FireConfirmed);
        var second = await RaiseAsync("fire-g1-b1-2", IncidentTypes.FireConfirmed);
        Assert.Equal(("updated", first.Incident.Id), (second.Change, second.Incident.Id));
        Assert.Equal(["fire-g1-b1-1", "fire-g1-b1-2"], second.Incident.DeviceIds);
        var otherBuilding = await RaiseAsync("fire-g1-b2-1", IncidentTypes.FireConfirmed);
        Assert.NotEqual(first.Incident.Id, otherBuilding.Incident.Id);
        await DriveToAsync(first.Incident.Id, IncidentState.Closed);
        Assert.Equal("dispatched", (await RaiseAsync("fire-g1-b1-2", IncidentTypes.FireConfirmed)).Change); // a new fire
    }

    [Fact]
    public async Task One_fire_is_one_incident_per_detector_and_once_confirmed_the_buildings_one()
    {
        // Detector 1 sees smoke, then heat and CO: one incident, at the CO alarm's P1.
        var smoke = await RaiseAsync("fire-g2-b1-1", severity: Severity.P2);
        var heat = await RaiseAsync("fire-g2-b1-1", IncidentTypes.FireHeat);
        var co = await RaiseAsync("fire-g2-b1-1", IncidentTypes.FireCo);
        Assert.Equal([smoke.Incident.Id, smoke.Incident.Id], new[] { heat, co }.Select(c => c.Incident.Id));
        Assert.Equal((IncidentTypes.FireCo, Severity.P1, 2), (co.Incident.Type, co.Incident.Severity, co.Incident.UpdateCount)); // the P1 finding names it
        Assert.Equal("一氧化碳报警 CO alarm · fire-g2-b1-1", co.Incident.Title);

        // The fire is confirmed (the engine raises the confirmation before the alarm that completed it): detector 1's incident,
        // being handled, becomes the confirmed fire (same worker, the confirmed fire's limits); that alarm and every later one
        // in the building join it. One burning building, one incident.
        var confirmed = await RaiseAsync("fire-g2-b1-2", IncidentTypes.FireConfirmed);
        Assert.Equal((smoke.Incident.Id, IncidentTypes.FireConfirmed, "确认火警 Confirmed fire · fire-g2-b1-1", smoke.Incident.AssigneeId),
            (confirmed.Incident.Id, confirmed.Incident.Type, confirmed.Incident.Title, confirmed.Incident.AssigneeId));
        Assert.Equal(Clock.GetUtcNow().AddMinutes(3), confirmed.Incident.AcceptDueAt); // the confirmed fire's 3 min, not CO's P1 5 min
        var second = await RaiseAsync("fire-g2-b1-2", IncidentTypes.FireHeat);
        var third = await RaiseAsync("fire-g2-b1-3");
        Assert.Equal([smoke.Incident.Id, smoke.Incident.Id], new[] { second, third }.Select(c => c.Incident.Id));
        Assert.Equal(["fire-g2-b1-1", "fire-g2-b1-2", "fire-g2-b1-3"], third.Incident.DeviceIds);
        Assert.Equal("fire-g2-b1-3：over threshold", third.Incident.Evidence!.Value.GetProperty("reason").GetString());
        var open = (await Store.ListAsync(new IncidentQuery { Open = true, GridId = "g2" }, Scope.All)).Items;
        Assert.Equal([smoke.Incident.Id], open.Where(i => i.Location.BuildingId == "g2-b1").Select(i => i.Id));

        // A first alarm already resolved on site is not turned into the confirmed fire: that one is new.
        var resolved = await RaiseAsync("fire-g2-b2-1");
        await DriveToAsync(resolved.Incident.Id, IncidentState.Resolved);
        var another = await RaiseAsync("fire-g2-b2-2", IncidentTypes.FireConfirmed);
        Assert.NotEqual(resolved.Incident.Id, another.Incident.Id);
        Assert.Equal(("dispatched", IncidentTypes.FireConfirmed), (another.Change, another.Incident.Type));
    }

    [Fact]
    public async Task A_lifted_manhole_cover_or_an_overheating_charger_is_one_incident_named_by_its_most_severe_finding()
    {
        var tilted = await RaiseAsync("mh-g3-1", IncidentTypes.ManholeTilt); // P3
        var open = await RaiseAsync("mh-g3-1", IncidentTypes.ManholeOpen); // P2: names it
        var displaced = await RaiseAsync("mh-g3-1", IncidentTypes.ManholeDisplaced); // P2: joins, no rename
        Assert.Equal([tilted.Incident.Id, tilted.Incident.Id], new[] { open, displaced }.Select(c => c.Incident.Id));
        Assert.Equal((IncidentTypes.ManholeOpen, Severity.P2, "井盖开启 Manhole cover open · mh-g3-1"),
            (displaced.Incident.Type, displaced.Incident.Severity, displaced.Incident.Title));
        var now = Clock.GetUtcNow(); // an open lid's own limits (accept 5 min) from the upgrade, not the tilt's P3 hour
        Assert.Equal(now.AddMinutes(5), displaced.Incident.AcceptDueAt);
        // A later tilt of the same cover (its own type's incident now gone) joins the open one too.
        Assert.Equal(tilted.Incident.Id, (await RaiseAsync("mh-g3-1", IncidentTypes.ManholeTilt)).Incident.Id);

        var runaway = await RaiseAsync("chg-g3-b1-1", IncidentTypes.ChargerThermalRunaway); // P1
        var overheat = await RaiseAsync("chg-g3-b1-1", IncidentTypes.ChargerOverheat);
        Assert.Equal((runaway.Incident.Id, IncidentTypes.ChargerThermalRunaway), (overheat.Incident.Id, overheat.Incident.Type));
    }

    [Fact]
    public async Task Devices_of_several_buildings_going_offline_together_are_one_incident_for_their_grid()
    {
        Task<IncidentChange> Offline(string deviceId) => Store.RaiseAsync(new AlertInput(deviceId, IncidentTypes.DeviceOffline, null, "silence_s", 600, "无数据 no data", Clock.GetUtcNow()));
        var first = await Offline("fire-g4-b1-1");
        Clock.Advance(TimeSpan.FromMinutes(10));
        var second = await Offline("fire-g4-b2-1"); // another building of grid g4: the same cut
        Assert.Equal(("updated", first.Incident.Id), (second.Change, second.Incident.Id));
        Assert.Equal(["fire-g4-b1-1", "fire-g4-b2-1"], second.Incident.DeviceIds);
        Assert.Equal("fire-g4-b2-1：无数据 no data", second.Incident.Evidence!.Value.GetProperty("reason").GetString());
        Clock.Advance(TimeSpan.FromMinutes(14)); // within 15 min of the last device joining
        Assert.Equal(first.Incident.Id, (await Offline("cam-g4-b3")).Incident.Id);

        // Another grid has its own; after 15 quiet minutes, or once its worker has resolved it, a new offline is new.
        Assert.NotEqual(first.Incident.Id, (await Offline("fire-g5-b1-1")).Incident.Id);
        Clock.Advance(TimeSpan.FromMinutes(16));
        var later = await Offline("fire-g4-b4-1");
        Assert.NotEqual(first.Incident.Id, later.Incident.Id);
        await DriveToAsync(later.Incident.Id, IncidentState.Resolved);
        Assert.NotEqual(later.Incident.Id, (await Offline("fire-g4-b5-1")).Incident.Id);
        Assert.Equal(IncidentState.Resolved, (await GetAsync(later.Incident.Id)).State);
    }

    [Fact]
    public async Task A_devices_statistical_anomaly_and_the_rule_that_trips_after_it_are_one_incident_named_by_the_rule()
    {
        // The leak current drifts (the detector's P4 anomaly), then crosses 30 mA (the rule's P2 leakage): one visit.
        var drift = await Store.RaiseAsync(new AlertInput("chg-g3-b1-1", IncidentTypes.SensorAnomaly, null, "leak_ma", 14, "漏电流异常升高 leak current unusual", Clock.GetUtcNow()));
        var leak = await Store.RaiseAsync(new AlertInput("chg-g3-b1-1", IncidentTypes.ChargerLeakage, null, "leak_ma", 32, "漏电 32 mA", Clock.GetUtcNow()));
        Assert.Equal(("updated", drift.Incident.Id), (leak.Change, leak.Incident.Id));
        Assert.Equal((IncidentTypes.ChargerLeakage, Severity.P2, "漏电 32 mA"), (leak.Incident.Type, leak.Incident.Severity, leak.Incident.Evidence!.Value.GetProperty("reason").GetString()));

        // Another anomaly of the charger joins it too, in its history only: the summary stays the rule's finding.
        var again = await Store.RaiseAsync(new AlertInput("chg-g3-b1-1", IncidentTypes.SensorAnomaly, null, "temp_c", 41, "温度异常 temperature unusual", Clock.GetUtcNow()));
        Assert.Equal((drift.Incident.Id, IncidentTypes.ChargerLeakage, "漏电 32 mA"), (again.Incident.Id, again.Incident.Type, again.Incident.Evidence!.Value.GetProperty("reason").GetString()));
        Assert.Equal("温度异常 temperature unusual", (await Store.GetHistoryAsync(drift.Incident.Id, Scope.All))![^1].Note);

        // Once its worker has resolved it, an anomaly is no reason to send it back (a rule finding is: 复发); it is its own.
        await DriveToAsync(drift.Incident.Id, IncidentState.Resolved);
        var after = await Store.RaiseAsync(new AlertInput("chg-g3-b1-1", IncidentTypes.SensorAnomaly, null, "temp_c", 43, "温度异常 temperature unusual", Clock.GetUtcNow()));
        Assert.NotEqual(drift.Incident.Id, after.Incident.Id);
        Assert.Equal(IncidentState.Resolved, (await GetAsync(drift.Incident.Id)).State);

        // A camera's findings are no family: its anomaly stays apart from a blocked lens.
        var blocked = await RaiseAsync("cam-g3-b1", IncidentTypes.CameraBlocked);
        Assert.NotEqual(blocked.Incident.Id, (await RaiseAsync("cam-g3-b1", IncidentTypes.SensorAnomaly)).Incident.Id);
    }

    [Fact]
    public async Task An_early_warning_upgraded_by_its_alarm_gets_the_new_severitys_time_limits_from_then()
    {
        // A manhole flood warning (P3: accept 1 h, arrive 4 h, resolve 1 d) reaching the alarm level 10 min later (P1).
        var warning = await RaiseAsync("mh-g5-1", IncidentTypes.ManholeFlood, Severity.P3);
        Clock.Advance(TimeSpan.FromMinutes(10));
        var alarm = await RaiseAsync("mh-g5-1", IncidentTypes.ManholeFlood, Severity.P1);
        Assert.Equal((warning.Incident.Id, Severity.P1), (alarm.Incident.Id, alarm.Incident.Severity));
        var now = Clock.GetUtcNow(); // P1: accept 5 min, arrive 15 min, resolve 2 h, counted from the upgrade
        Assert.Equal((now.AddMinutes(5), now.AddMinutes(15), now.AddHours(2)), (alarm.Incident.AcceptDueAt!.Value, alarm.Incident.ArriveDueAt!.Value, alarm.Incident.ResolveDueAt!.Value));
        Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(0, await Store.ProcessDueTimersAsync(Clock.GetUtcNow()));
        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await Store.ProcessDueTimersAsync(Clock.GetUtcNow())); // the accept limit, at the P1 time
        // A lower alert later changes nothing, and limits are never pushed back.
        var lower = await RaiseAsync("mh-g5-1", IncidentTypes.ManholeFlood, Severity.P2);
        Assert.Equal((Severity.P1, now.AddMinutes(15)), (lower.Incident.Severity, lower.Incident.ArriveDueAt!.Value));
    }

    [Fact]
    public async Task Concurrent_alerts_for_one_device_make_exactly_one_incident()
    {
        const int raisers = 16;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, raisers).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await Store.RaiseAsync(new AlertInput("chg-g3-b2-1", IncidentTypes.ChargerOverheat, null, "temp_c", 70 + i, "hot", Clock.GetUtcNow()));
        })).ToList();
        start.SetResult();
        var changes = await Task.WhenAll(tasks);
        Assert.Single(changes.Select(c => c.Incident.Id).Distinct());
        var page = await Store.ListAsync(new IncidentQuery { DeviceId = "chg-g3-b2-1" }, Scope.All);
        Assert.Equal(1, page.Total);
        Assert.Equal(raisers - 1, page.Items[0].UpdateCount);
        var events = await Store.ReadEventsAsync(0, 1000);
        Assert.Equal((1, 1, raisers - 1), (events.Count(e => e.Change == "created"), events.Count(e => e.Change == "dispatched"), events.Count(e => e.Change == "updated")));
    }

    [Fact]
    public async Task With_nobody_on_duty_the_incident_goes_straight_to_community_level()
    {
        // Grid 4's only shift is 08:00–09:00 local; it is 10:00 in Shanghai.
        await Store.SetRosterAsync("g4", [new DutyShift("g4", "p-g4-w1", new TimeOnly(8, 0), new TimeOnly(9, 0))]);
        var change = await RaiseAsync("fire-g4-b1-1");
        Assert.Equal(("created", IncidentState.New, IncidentLevel.Community), (change.Change, change.Incident.State, change.Incident.Level));
        Assert.Null(change.Incident.AssigneeId);
        Assert.True(await Store.GetAsync(change.Incident.Id, Scope.Community("c2")) is not null);
        // A shift 09:30–10:30 local covers 10:00 in Shanghai.
        await Store.SetRosterAsync("g4", [new DutyShift("g4", "p-g4-w2", new TimeOnly(9, 30), new TimeOnly(10, 30))]);
        Assert.Equal("p-g4-w2", (await RaiseAsync("fire-g4-b1-2")).Incident.AssigneeId);
    }

    [Fact]
    public async Task Unknown_devices_and_types_are_refused_with_what_to_do()
    {
        var e = await Assert.ThrowsAsync<IncidentException>(() => RaiseAsync("no-such-device"));
        Assert.Equal(IncidentError.Invalid, e.Error);
        Assert.Contains("register it", e.Message);
        e = await Assert.ThrowsAsync<IncidentException>(() => RaiseAsync("fire-g1-b1-1", "fire.unknown"));
        Assert.Contains("Known:", e.Message);
    }

    [Fact]
    public async Task A_manual_report_is_located_by_building_grid_or_point_and_routed()
    {
        var byPoint = await Store.ReportManualAsync(new ManualReport("路面塌陷 road collapse", Point: new GeoPoint(120.1545, 30.2510), PhotoRef: "photo-1"), Worker(2));
        Assert.Equal(("g2", IncidentTypes.ManualReport, "p-g2-w1"), (byPoint.Incident.Location.GridId, byPoint.Incident.Type, byPoint.Incident.ReporterId!));
        Assert.Equal("photo-1", byPoint.Incident.Evidence!.Value.GetProperty("photo_ref").GetString());
        Assert.Equal(IncidentState.Dispatched, byPoint.Incident.State);
        var byBuilding = await Store.ReportManualAsync(new ManualReport("楼道堆物 blocked stairwell", BuildingId: "g7-b2"), Operator);
        Assert.Equal(("c3", "g7-b2"), (byBuilding.Incident.Location.CommunityId, byBuilding.Incident.Location.BuildingId!));
        Assert.Equal(IncidentError.Forbidden, (await Assert.ThrowsAsync<IncidentException>(() =>
            Store.ReportManualAsync(new ManualReport("x", GridId: "g5"), Worker(2)))).Error);
        Assert.Equal(IncidentError.Invalid, (await Assert.ThrowsAsync<IncidentException>(() =>
            Store.ReportManualAsync(new ManualReport("x", Point: new GeoPoint(0, 0)), Operator))).Error);
        var both = await Store.ReportManualAsync(new ManualReport("again", GridId: "g2"), Worker(2));
        Assert.NotEqual(byPoint.Incident.Id, both.Incident.Id); // manual reports are never deduplicated
    }

    [Fact]
    public async Task Evidence_from_the_detector_is_kept_as_json()
    {
        var evidence = JsonDocument.Parse("""{"score":0.93,"detector":"spectral_residual","clip_id":"clip-42"}""").RootElement;
        var change = await Store.RaiseAsync(new AlertInput("cam-g5-b1", IncidentTypes.CameraFallingObject, Severity.P2, null, null, "falling object", Clock.GetUtcNow(), evidence));
        var stored = await GetAsync(change.Incident.Id);
        Assert.Equal("clip-42", stored.Evidence!.Value.GetProperty("clip_id").GetString());
        Assert.Equal(0.93, stored.Evidence!.Value.GetProperty("score").GetDouble());
        Assert.Equal(DeviceKind.Camera, stored.DeviceKind);
    }
}

public sealed class SqliteRaiseTests() : RaiseTests(new SqliteProvider());

[Collection("postgres")]
public sealed class PostgresRaiseTests(PostgresFixture postgres) : RaiseTests(new PostgresProvider(postgres));
