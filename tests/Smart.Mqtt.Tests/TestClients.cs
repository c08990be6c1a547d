using System.Text;
using Smart.Testing;

namespace Smart.Mqtt.Tests;

/// <summary>Client options and helpers shared by the broker tests.</summary>
internal static class TestClients
{
    public static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(15);

    public static MqttClientOptions Options(MosquittoFixture broker, MqttProtocolVersion version, string? clientId = null) => new()
    {
        Host = broker.Host,
        Port = broker.Port,
        ProtocolVersion = version,
        ClientId = clientId ?? NewId(),
        KeepAlive = TimeSpan.FromSeconds(10),
        ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    };

    public static string NewId() => "t-" + Guid.NewGuid().ToString("N")[..12];

    public static string NewTopic() => "test/" + Guid.NewGuid().ToString("N")[..12];

    public static async Task<MqttClient> ConnectAsync(MqttClientOptions options)
    {
        var client = new MqttClient(options);
        await client.ConnectAsync();
        return client;
    }

    public static async Task<MqttApplicationMessage> ReadAsync(this MqttClient client, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TestTimeout);
        try { return await client.Messages.ReadAsync(cts.Token); }
        catch (OperationCanceledException) { throw new TimeoutException($"No MQTT message within {(timeout ?? TestTimeout).TotalSeconds} s."); }
    }

    /// <summary>Asserts that nothing arrives within <paramref name="window"/> (a bounded negative check).</summary>
    public static async Task AssertNoMessageAsync(this MqttClient client, TimeSpan window)
    {
        using var cts = new CancellationTokenSource(window);
        try
        {
            var m = await client.Messages.ReadAsync(cts.Token);
            Assert.Fail($"Unexpected message {m}: {Encoding.UTF8.GetString(m.Payload.Span)}");
        }
        catch (OperationCanceledException) { }
    }

    public static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    public static string Text(this MqttApplicationMessage m) => Encoding.UTF8.GetString(m.Payload.Span);
}

[CollectionDefinition(Name)]
public sealed class BrokerCollection : ICollectionFixture<MosquittoFixture>
{
    public const string Name = "mosquitto";
}
