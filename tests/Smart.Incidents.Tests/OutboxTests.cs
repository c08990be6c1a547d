using Smart.Core.Incidents;
using Smart.Testing;

namespace Smart.Incidents.Tests;

public abstract class OutboxTests(IStoreProvider provider) : StoreTestBase(provider)
{
    [Fact]
    public async Task Seq_is_gap_free_and_increasing_under_concurrent_writers()
    {
        const int writers = 8, perWriter = 12;
        var seed = 20261122;
        Console.WriteLine($"seed={seed}");
        var devices = District.Demo.Devices.Where(d => d.Kind == Smart.Core.DeviceKind.Charger).Select(d => d.Id).ToList();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(seed + w);
            await go.Task;
            List<long> seqs = [];
            for (var i = 0; i < perWriter; i++)
            {
                // Random devices: some raises create (2 events), some hit an open incident (1 event); then accept it.
                var device = devices[random.Next(devices.Count)];
                var change = await Store.RaiseAsync(new AlertInput(device, IncidentTypes.ChargerOvercurrent, null, "current_a", 30, "over", Clock.GetUtcNow()));
                seqs.Add(change.Seq);
                if (change.Incident.State == IncidentState.Dispatched && random.Next(2) == 0)
                {
                    try { seqs.Add((await Store.TransitionAsync(change.Incident.Id, IncidentAction.Accept, Person(change.Incident.AssigneeId!))).Seq); }
                    catch (IncidentException e) when (e.Error == IncidentError.InvalidTransition) { /* another writer accepted it first */ }
                }
            }
            return seqs;
        })).ToList();
        go.SetResult();
        var returned = (await Task.WhenAll(tasks)).SelectMany(s => s).ToList();
        var events = await Store.ReadEventsAsync(0, 100_000);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.Equal(events.Count, Store.LastSeq);
        Assert.Equal(returned.Count, returned.Distinct().Count());
        Assert.All(returned, s => Assert.Contains(events, e => e.Seq == s));
        var history = 0;
        foreach (var id in events.Select(e => e.Incident.Id).Distinct())
            history += (await Store.GetHistoryAsync(id, Scope.All))!.Count;
        Assert.Equal(events.Count, history); // every event has its history row, and vice versa
    }

    [Fact]
    public async Task Reading_after_a_seq_resumes_where_the_client_left_off()
    {
        for (var i = 1; i <= 5; i++) await RaiseAsync($"fire-g1-b1-{i}");
        var all = await Store.ReadEventsAsync(0, 100);
        Assert.Equal(10, all.Count);
        var page1 = await Store.ReadEventsAsync(0, 4);
        var page2 = await Store.ReadEventsAsync(page1[^1].Seq, 4);
        var page3 = await Store.ReadEventsAsync(page2[^1].Seq, 4);
        Assert.Equal(all.Select(e => e.Seq), page1.Concat(page2).Concat(page3).Select(e => e.Seq));
        Assert.Empty(await Store.ReadEventsAsync(all[^1].Seq, 4));
        var snapshot = all.Last(e => e.Change == "dispatched").Incident;
        Assert.Equal(await GetAsync(snapshot.Id) with { }, snapshot, new IncidentComparer());
    }

    [Fact]
    public async Task A_refused_change_emits_nothing()
    {
        var change = await RaiseAsync("fire-g1-b1-1");
        var before = Store.LastSeq;
        await Assert.ThrowsAsync<IncidentException>(() => Store.TransitionAsync(change.Incident.Id, IncidentAction.Close, CommunityStaff(1), "x"));
        await Assert.ThrowsAsync<IncidentException>(() => Store.TransitionAsync(change.Incident.Id, IncidentAction.Cancel, Operator, ""));
        Assert.Equal(before, Store.LastSeq);
        Assert.Equal(before, (await Store.ReadEventsAsync(0, 100)).Max(e => e.Seq));
        Assert.Equal(before + 1, (await Store.TransitionAsync(change.Incident.Id, IncidentAction.Cancel, Operator, "误报 false alarm")).Seq);
    }

    [Fact]
    public async Task Committed_event_fires_after_the_commit_with_the_highest_seq()
    {
        long seen = 0;
        Store.EventsCommitted += s => Interlocked.Exchange(ref seen, s);
        var change = await RaiseAsync("fire-g1-b1-1");
        Assert.Equal(change.Seq, Interlocked.Read(ref seen));
        Assert.Contains(await Store.ReadEventsAsync(change.Seq - 1, 1), e => e.Seq == change.Seq);
    }

    private sealed class IncidentComparer : IEqualityComparer<Incident>
    {
        public bool Equals(Incident? x, Incident? y) => x is not null && y is not null &&
            x with { Evidence = null, DeviceIds = [] } == y with { Evidence = null, DeviceIds = [] } &&
            x.DeviceIds.SequenceEqual(y.DeviceIds) && x.Evidence?.GetRawText() == y.Evidence?.GetRawText();
        public int GetHashCode(Incident obj) => obj.Id.GetHashCode();
    }
}

public sealed class SqliteOutboxTests() : OutboxTests(new SqliteProvider());

[Collection("postgres")]
public sealed class PostgresOutboxTests(PostgresFixture postgres) : OutboxTests(new PostgresProvider(postgres));
