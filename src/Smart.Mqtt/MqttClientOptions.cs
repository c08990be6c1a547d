using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Smart.Mqtt;

/// <summary>Everything <see cref="MqttClient"/> needs to connect. Read when connecting; do not change while connected.</summary>
public sealed class MqttClientOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 1883;
    /// <summary>Empty: the broker assigns one (then a persistent session is not possible on 3.1.1).</summary>
    public string ClientId { get; set; } = "";
    public string? Username { get; set; }
    public string? Password { get; set; }
    public MqttProtocolVersion ProtocolVersion { get; set; } = MqttProtocolVersion.V500;
    /// <summary>False + <see cref="SessionExpirySeconds"/> &gt; 0 (MQTT 5), or false on 3.1.1: a persistent session.</summary>
    public bool CleanStart { get; set; } = true;
    /// <summary>MQTT 5 §3.1.2.11.2 session expiry interval; 0 ends the session with the connection. Ignored on 3.1.1.</summary>
    public uint SessionExpirySeconds { get; set; }
    /// <summary>PINGREQ cadence; a broker silent for 1.5 × this is declared dead. Zero disables keep-alive.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);
    public MqttWill? Will { get; set; }
    /// <summary>Null: plain TCP.</summary>
    public MqttTlsOptions? Tls { get; set; }
    /// <summary>Our outgoing QoS 1/2 window (further limited by the broker's MQTT 5 Receive Maximum).</summary>
    public int MaxInflight { get; set; } = 1000;
    /// <summary>MQTT 5 §3.1.2.11.3: how many unacknowledged QoS 1/2 messages the broker may send us.</summary>
    public ushort ReceiveMaximum { get; set; } = 65535;
    /// <summary>Largest incoming packet accepted; the decoder never buffers more than this for one packet.</summary>
    public int MaxPacketBytes { get; set; } = 1 << 20;
    /// <summary>Reconnect (with backoff and jitter) after the connection is lost; not after <see cref="MqttClient.DisconnectAsync"/>.</summary>
    public bool AutoReconnect { get; set; } = true;
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Received messages buffered for the application before the client stops reading the socket (backpressure
    /// to the broker). On MQTT 5 <see cref="ReceiveMaximum"/> bounds unacknowledged QoS 1/2 messages as well.</summary>
    public int MessageBufferCapacity { get; set; } = 65536;
    /// <summary>TCP + TLS + CONNECT/CONNACK must finish within this.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Parses <c>mqtt://[user:pass@]host[:port]</c> (default 1883) or <c>mqtts://…</c> (TLS, default 8883).</summary>
    public static MqttClientOptions FromUrl(string url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("mqtt" or "mqtts" or "tcp" or "ssl"))
            throw new ArgumentException($"'{url}' is not an MQTT URL; expected mqtt://host:port or mqtts://host:port.", nameof(url));
        var tls = uri.Scheme is "mqtts" or "ssl";
        var options = new MqttClientOptions
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? (tls ? 8883 : 1883) : uri.Port,
            Tls = tls ? new MqttTlsOptions() : null,
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            options.Username = Uri.UnescapeDataString(parts[0]);
            options.Password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null;
        }
        return options;
    }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Host);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxInflight);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxInflight, 65000);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPacketBytes, 128);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MessageBufferCapacity);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxPacketBytes, 268_435_455); // MQTT 5 §1.5.5 varint max + header
        if (KeepAlive < TimeSpan.Zero || KeepAlive.TotalSeconds > ushort.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(KeepAlive), "KeepAlive must be 0..65535 s (MQTT §3.1.2.10).");
        if (ReceiveMaximum == 0) throw new ArgumentOutOfRangeException(nameof(ReceiveMaximum), "ReceiveMaximum must be ≥ 1 (MQTT 5 §3.1.2.11.3).");
        if (Will is not null) MqttTopic.ThrowIfInvalidTopicName(Will.Topic);
    }
}

/// <summary>The will message the broker publishes when the connection drops without a DISCONNECT (MQTT 5 §3.1.2.5).</summary>
public sealed record MqttWill(string Topic, ReadOnlyMemory<byte> Payload, MqttQos Qos = MqttQos.AtLeastOnce, bool Retain = false);

/// <summary>TLS settings. By default the server certificate must chain to a trusted root and match <see cref="TargetHost"/>.</summary>
public sealed class MqttTlsOptions
{
    /// <summary>Custom validation (e.g. pin a self-signed certificate); overrides the default policy.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }
    /// <summary>Accept any server certificate. For tests and trusted networks only.</summary>
    public bool AllowUntrustedCertificates { get; set; }
    /// <summary>SNI / name to validate; defaults to <see cref="MqttClientOptions.Host"/>.</summary>
    public string? TargetHost { get; set; }
    public X509CertificateCollection? ClientCertificates { get; set; }
}
