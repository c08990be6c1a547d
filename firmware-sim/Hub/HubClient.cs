using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace FirmwareSim.Hub;

/// <summary>A server-to-client call received on the hub, e.g. <c>incident</c> with its arguments.</summary>
public sealed record HubInvocation(string Target, JsonElement[] Arguments, DateTimeOffset ReceivedAt);

/// <summary>
/// A minimal ASP.NET Core SignalR client: JSON hub protocol v1 over a WebSocket, no negotiation (the .NET SignalR
/// client package is not available to us). Enough for the simulator's latency mode and for tests.
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1e;
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly Channel<HubInvocation> _invocations = Channel.CreateUnbounded<HubInvocation>();
    private readonly CancellationTokenSource _stop = new();
    private Task? _receiveLoop;
    private int _nextId;

    /// <summary>Server-to-client calls, in arrival order.</summary>
    public ChannelReader<HubInvocation> Invocations => _invocations.Reader;

    /// <summary>Connects to e.g. <c>http://127.0.0.1:5000/hubs/ops</c> with a bearer token (sent as <c>access_token</c>).</summary>
    public static async Task<HubClient> ConnectAsync(Uri hubUrl, string? accessToken, CancellationToken ct = default)
    {
        var client = new HubClient();
        var ws = new UriBuilder(hubUrl) { Scheme = hubUrl.Scheme == "https" ? "wss" : "ws" };
        if (accessToken is not null) ws.Query = "access_token=" + Uri.EscapeDataString(accessToken);
        await client._socket.ConnectAsync(ws.Uri, ct).ConfigureAwait(false);
        await client.SendAsync("""{"protocol":"json","version":1}""", ct).ConfigureAwait(false);
        var handshake = await client.ReceiveRecordsAsync(ct).ConfigureAwait(false);
        using (var doc = JsonDocument.Parse(handshake[0]))
            if (doc.RootElement.TryGetProperty("error", out var error))
                throw new InvalidOperationException($"Hub handshake refused: {error.GetString()}");
        client._receiveLoop = Task.Run(() => client.ReceiveLoopAsync(client._stop.Token));
        return client;
    }

    /// <summary>Invokes a hub method and returns its result (throws with the hub's error message on failure).</summary>
    public async Task<JsonElement> InvokeAsync(string method, object?[] args, CancellationToken ct = default)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var tcs = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = tcs;
        await SendAsync(JsonSerializer.Serialize(new { type = 1, invocationId = id, target = method, arguments = args }), ct).ConfigureAwait(false);
        using var reg = ct.Register(() => tcs.TrySetCanceled(ct));
        return await tcs.Task.ConfigureAwait(false);
    }

    /// <summary>Waits for the next server call to <paramref name="target"/> that satisfies <paramref name="match"/>.</summary>
    public async Task<HubInvocation> WaitForAsync(string target, Func<HubInvocation, bool> match, CancellationToken ct)
    {
        await foreach (var call in _invocations.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            if (call.Target == target && match(call)) return call;
        throw new InvalidOperationException("Hub connection closed before the expected message arrived.");
    }

    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
                foreach (var record in await ReceiveRecordsAsync(ct).ConfigureAwait(false))
                    Dispatch(record);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or InvalidOperationException)
        {
            foreach (var tcs in _pending.Values) tcs.TrySetException(new InvalidOperationException("Hub connection closed.", e));
        }
        finally
        {
            _invocations.Writer.TryComplete();
        }
    }

    private void Dispatch(string record)
    {
        using var doc = JsonDocument.Parse(record);
        var root = doc.RootElement;
        switch (root.GetProperty("type").GetInt32())
        {
            case 1: // Invocation
                var args = root.GetProperty("arguments").EnumerateArray().Select(a => a.Clone()).ToArray();
                _invocations.Writer.TryWrite(new HubInvocation(root.GetProperty("target").GetString()!, args, DateTimeOffset.UtcNow));
                break;
            case 3: // Completion
                if (!_pending.TryRemove(root.GetProperty("invocationId").GetString()!, out var tcs)) break;
                if (root.TryGetProperty("error", out var error)) tcs.TrySetException(new InvalidOperationException(error.GetString()));
                else tcs.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : default);
                break;
            case 7: // Close
                var reason = root.TryGetProperty("error", out var e) ? e.GetString() : "closed by server";
                throw new InvalidOperationException($"Hub closed the connection: {reason}");
        }
    }

    private async Task<List<string>> ReceiveRecordsAsync(CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer.GetMemory(8192), ct).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException("Hub closed the WebSocket.");
            buffer.Advance(result.Count);
            if (result.EndOfMessage && buffer.WrittenSpan[^1] == RecordSeparator) break;
        }
        return [.. Encoding.UTF8.GetString(buffer.WrittenSpan).Split((char)RecordSeparator, StringSplitOptions.RemoveEmptyEntries)];
    }

    private async Task SendAsync(string json, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(json + (char)RecordSeparator);
        await _sendLock.WaitAsync(ct).ConfigureAwait(false);
        try { await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, ct).ConfigureAwait(false); }
        finally { _sendLock.Release(); }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try { await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).ConfigureAwait(false); }
            catch (WebSocketException) { /* the server went first */ }
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_receiveLoop is not null) await _receiveLoop.ConfigureAwait(false);
        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }
}
