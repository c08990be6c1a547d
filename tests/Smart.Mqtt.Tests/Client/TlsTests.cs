using System.Net.Security;
using Smart.Testing;
using static Smart.Mqtt.Tests.TestClients;

namespace Smart.Mqtt.Tests.Client;

/// <summary>mosquitto with a TLS listener and a self-signed certificate generated for this run.</summary>
public sealed class TlsBrokerFixture : MosquittoFixture
{
    public override Task InitializeAsync()
    {
        AddTlsListener();
        return base.InitializeAsync();
    }
}

public sealed class TlsTests(TlsBrokerFixture broker) : IClassFixture<TlsBrokerFixture>
{
    private MqttClientOptions TlsOptions(MqttProtocolVersion version, MqttTlsOptions tls)
    {
        var o = Options(broker, version);
        o.Port = broker.TlsPort!.Value;
        o.Tls = tls;
        o.AutoReconnect = false;
        return o;
    }

    /// <summary>Pins the fixture's certificate: the way to trust a self-signed broker without trusting everything.</summary>
    private MqttTlsOptions Pinned() => new()
    {
        ServerCertificateValidation = (_, cert, _, errors) =>
            cert is not null && cert.GetCertHashString() == broker.TlsCertificate!.GetCertHashString()
            && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None,
    };

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Messages_round_trip_over_tls_with_a_pinned_self_signed_certificate(MqttProtocolVersion version)
    {
        var topic = NewTopic();
        await using var sub = await ConnectAsync(TlsOptions(version, Pinned()));
        await using var pub = await ConnectAsync(TlsOptions(version, Pinned()));
        await sub.SubscribeAsync(topic, MqttQos.AtLeastOnce);
        for (var i = 0; i < 200; i++) await pub.PublishAsync(topic, Bytes($"tls {i}"), MqttQos.AtLeastOnce);
        for (var i = 0; i < 200; i++)
        {
            var m = await sub.ReadAsync();
            Assert.Equal($"tls {i}", m.Text());
            await sub.AcknowledgeAsync(m);
        }
    }

    [Fact]
    public async Task Untrusted_self_signed_certificate_is_rejected_by_default()
    {
        await using var client = new MqttClient(TlsOptions(MqttProtocolVersion.V500, new MqttTlsOptions()));
        var ex = await Assert.ThrowsAsync<MqttCommunicationException>(() => client.ConnectAsync());
        Assert.Contains("TLS", ex.Message);
    }

    [Fact]
    public async Task Wrong_target_host_is_rejected_even_when_the_certificate_is_pinned_by_chain_only()
    {
        var tls = new MqttTlsOptions
        {
            TargetHost = "not-the-broker.example",
            ServerCertificateValidation = (_, _, _, errors) => (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0,
        };
        await using var client = new MqttClient(TlsOptions(MqttProtocolVersion.V500, tls));
        await Assert.ThrowsAsync<MqttCommunicationException>(() => client.ConnectAsync());
    }

    [Fact]
    public async Task AllowUntrustedCertificates_connects()
    {
        await using var client = await ConnectAsync(TlsOptions(MqttProtocolVersion.V311, new MqttTlsOptions { AllowUntrustedCertificates = true }));
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Plain_mqtt_client_against_the_tls_port_fails_clearly()
    {
        var o = TlsOptions(MqttProtocolVersion.V500, new MqttTlsOptions());
        o.Tls = null;
        o.ConnectTimeout = TimeSpan.FromSeconds(2);
        await using var client = new MqttClient(o);
        await Assert.ThrowsAnyAsync<MqttException>(() => client.ConnectAsync());
    }
}
