using FirmwareSim.Registry;
using Smart.Testing;

namespace FirmwareSim.Tests.Broker;

/// <summary>
/// A real mosquitto with the production security model (DESIGN §5): every device logs in with its own password and
/// may publish only under its own id and read only its own command topic; plus a load user and an observer.
/// </summary>
public sealed class SecuredMosquittoFixture : MosquittoFixture
{
    public const string LoadUser = "sim-load", LoadPassword = "load-secret", Observer = "observer", ObserverPassword = "observer-secret";

    /// <summary>The devices of two buildings (12 fire detectors, 2 cameras, 4 chargers) and a manhole cover.</summary>
    public IReadOnlyList<SimDevice> Devices { get; } =
        DeviceRegistry.Demo().Where(d => d.Device.BuildingId is "g1-b1" or "g1-b2" || d.Id == "mh-g1-1").ToList();

    public SecuredMosquittoFixture()
    {
        foreach (var d in Devices) AddUser(d.Id, d.Password);
        AddUser(LoadUser, LoadPassword);
        AddUser(Observer, ObserverPassword);
        Acl = $"""
            user {Observer}
            topic read #
            topic write smart/v1/+/+/command

            user {LoadUser}
            topic write smart/v1/#

            pattern write smart/v1/+/%u/#
            pattern read smart/v1/+/%u/command

            """;
    }

    public SimulatorOptions SimulatorOptions(IReadOnlyList<SimDevice>? devices = null, int seed = 1) => new()
    {
        BrokerUrl = Url, Seed = seed, Devices = devices ?? Devices,
        ReconnectMin = TimeSpan.FromMilliseconds(100), ReconnectMax = TimeSpan.FromSeconds(1),
        ConnectTimeout = TimeSpan.FromSeconds(20),
    };
}

[CollectionDefinition(Name)]
public sealed class BrokerCollection : ICollectionFixture<SecuredMosquittoFixture>
{
    public const string Name = "mosquitto";
}
