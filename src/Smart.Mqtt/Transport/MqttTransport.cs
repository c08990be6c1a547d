using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Smart.Mqtt.Transport;

/// <summary>Opens the byte stream (TCP, optionally TLS) and translates socket/IO/TLS errors into
/// <see cref="MqttCommunicationException"/>, once, at this edge.</summary>
internal static class MqttTransport
{
    public static async Task<(Stream Stream, Socket Socket)> ConnectAsync(MqttClientOptions options, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, ct).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new MqttCommunicationException($"Cannot connect to the MQTT broker at {options.Host}:{options.Port}: {ex.Message}. Is the broker running and the port right?", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var stream = new NetworkStream(socket, ownsSocket: true);
        return (options.Tls is null ? stream : await AuthenticateAsync(stream, options, options.Tls, ct).ConfigureAwait(false), socket);
    }

    private static async Task<Stream> AuthenticateAsync(NetworkStream inner, MqttClientOptions options, MqttTlsOptions tls, CancellationToken ct)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        var auth = new SslClientAuthenticationOptions
        {
            TargetHost = tls.TargetHost ?? options.Host,
            ClientCertificates = tls.ClientCertificates,
            RemoteCertificateValidationCallback = tls.ServerCertificateValidation
                ?? (tls.AllowUntrustedCertificates ? static (_, _, _, _) => true : null),
        };
        try
        {
            await ssl.AuthenticateAsClientAsync(auth, ct).ConfigureAwait(false);
            return ssl;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new MqttCommunicationException($"TLS handshake with the MQTT broker at {options.Host}:{options.Port} failed: {ex.Message}. Check the server certificate (MqttTlsOptions.ServerCertificateValidation / TargetHost).", ex);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Half-closes the connection (TLS close_notify, then TCP FIN) so the broker reads everything we sent.</summary>
    public static async Task ShutdownSendAsync(Stream? stream, Socket? socket)
    {
        try
        {
            if (stream is SslStream ssl)
            {
                try { await ssl.ShutdownAsync().ConfigureAwait(false); }
                catch (Exception ex) when (ex is not (OperationCanceledException or IOException or ObjectDisposedException))
                {
                    // A TLS session the broker has already closed fails here with OpenSSL's own (internal) exception
                    // type ("Operation failed with error - 6": SSL_ERROR_ZERO_RETURN): the connection is gone either way.
                    throw new MqttCommunicationException($"MQTT connection lost while closing: {ex.Message}", ex);
                }
            }
            socket?.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            throw Translate(ex, "closing");
        }
    }

    /// <summary>Wraps a transport failure; <see cref="MqttException"/>s pass through unchanged.</summary>
    public static Exception Translate(Exception ex, string what) => ex switch
    {
        MqttException => ex,
        IOException or SocketException or ObjectDisposedException or AuthenticationException or InvalidOperationException =>
            new MqttCommunicationException($"MQTT connection lost while {what}: {ex.Message}", ex),
        _ => ex,
    };
}
