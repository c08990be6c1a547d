using Smart.Core;
using Smart.Core.Incidents;

namespace Smart.Incidents.Tests;

/// <summary>
/// Base of the generic incident suites (Dapper's <c>ParameterTests&lt;TProvider&gt;</c> style): each suite is written once
/// and run by a <c>Sqlite…</c> and a <c>Postgres…</c> subclass. Every test gets a fresh database with the demo district.
/// </summary>
public abstract class StoreTestBase(IStoreProvider provider) : IAsyncLifetime
{
    protected IStoreProvider Provider { get; } = provider;
    protected ManualClock Clock { get; } = new();
    protected IncidentStore Store { get; private set; } = null!;

    public virtual async Task InitializeAsync() => Store = await Provider.CreateAsync(Clock);

    public virtual Task DisposeAsync()
    {
        (Provider as IDisposable)?.Dispose();
        return Task.CompletedTask;
    }

    protected static Actor Person(string id) => Actor.Of(District.Demo.People.Single(p => p.Id == id));
    protected static Actor Operator => Person("p-op1");
    protected static Actor Admin => Person("p-admin");
    protected static Actor StreetStaff => Person("p-st1");
    protected static Actor CommunityStaff(int c = 1) => Person($"p-c{c}");
    protected static Actor Worker(int grid, int w = 1) => Person($"p-g{grid}-w{w}");

    // The detector proposes the severity; by default these tests raise an urgent (P1) smoke alarm, other types get
    // their type's default severity.
    protected Task<IncidentChange> RaiseAsync(string deviceId, string type = IncidentTypes.FireSmoke, Severity? severity = null, double value = 12.5) =>
        Store.RaiseAsync(new AlertInput(deviceId, type, severity ?? (type == IncidentTypes.FireSmoke ? Severity.P1 : null),
            "smoke_pct_per_m", value, "over threshold", Clock.GetUtcNow()));

    protected async Task<Incident> GetAsync(long id) => await Store.GetAsync(id, Scope.All) ?? throw new InvalidOperationException($"incident {id} missing");

    /// <summary>Takes an incident to <paramref name="state"/> along the happy path, as the people who may do each step.</summary>
    protected async Task<Incident> DriveToAsync(long id, IncidentState state)
    {
        var incident = await GetAsync(id);
        while (incident.State != state)
        {
            var (action, actor) = (incident.State, state) switch
            {
                (IncidentState.New, _) => (IncidentAction.Dispatch, Operator),
                (IncidentState.Dispatched, IncidentState.Cancelled) => (IncidentAction.Cancel, Operator),
                (IncidentState.Dispatched, _) => (IncidentAction.Accept, Person(incident.AssigneeId!)),
                (IncidentState.Accepted, _) => (IncidentAction.Arrive, Person(incident.AssigneeId!)),
                (IncidentState.OnSite, _) => (IncidentAction.Resolve, Person(incident.AssigneeId!)),
                (IncidentState.Resolved, IncidentState.Reopened) => (IncidentAction.Reopen, CommunityOf(incident)),
                (IncidentState.Resolved, _) => (IncidentAction.Close, CommunityOf(incident)),
                _ => throw new InvalidOperationException($"no path from {incident.State} to {state}"),
            };
            var assignee = action == IncidentAction.Dispatch ? $"p-{incident.Location.GridId}-w1" : null;
            incident = (await Store.TransitionAsync(id, action, actor, "because", assignee)).Incident;
        }
        return incident;
    }

    protected static Actor CommunityOf(Incident incident) => Person($"p-{incident.Location.CommunityId}");

    /// <summary>
    /// A second "host" on the same database, listening (PostgreSQL LISTEN has run when this returns: what follows is
    /// heard), with the devices and people it heard of. Dispose to stop listening.
    /// </summary>
    protected async Task<ListeningHost> ListeningSiblingAsync()
    {
        var other = await Provider.OpenSiblingAsync(Store, Clock, "host-b");
        var host = new ListeningHost(other);
        var resynced = new TaskCompletionSource();
        other.DirectoryResync += () => resynced.TrySetResult();
        other.DeviceChanged += d => host.Devices.Writer.TryWrite(d);
        other.PersonChanged += p => host.People.Writer.TryWrite(p);
        host.Listening = other.ListenAsync(host.Timeout.Token);
        await resynced.Task.WaitAsync(host.Timeout.Token);
        return host;
    }

    protected sealed class ListeningHost(IncidentStore store) : IAsyncDisposable
    {
        public IncidentStore Store { get; } = store;
        public System.Threading.Channels.Channel<Device> Devices { get; } = System.Threading.Channels.Channel.CreateUnbounded<Device>();
        public System.Threading.Channels.Channel<Person> People { get; } = System.Threading.Channels.Channel.CreateUnbounded<Person>();
        /// <summary>Bounds the whole test's waiting.</summary>
        public CancellationTokenSource Timeout { get; } = new(TimeSpan.FromSeconds(60));
        public Task Listening { get; set; } = Task.CompletedTask;

        public async ValueTask DisposeAsync()
        {
            await Timeout.CancelAsync();
            await Listening;
            Timeout.Dispose();
        }
    }
}
