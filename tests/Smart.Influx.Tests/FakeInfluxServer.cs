using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using Smart.Testing;

namespace Smart.Influx.Tests;

/// <summary>
/// An in-process HTTP fake, only for faults and API shapes the real influxd 1.6.7 cannot produce
/// (v2 endpoint, 429 with Retry-After, 503, 401). Answers with scripted statuses, then 204.
/// </summary>
public sealed class FakeInfluxServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(int Status, string Body, string? RetryAfter)> _script = new();
    private readonly Task _loop;

    public FakeInfluxServer()
    {
        Port = Ports.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }
    public Uri Url => new($"http://127.0.0.1:{Port}");
    public ConcurrentQueue<Received> Requests { get; } = new();

    public sealed record Received(string Method, string PathAndQuery, string? Authorization, string? ContentEncoding, string Body, DateTime At);

    public void Then(int status, string body = "", string? retryAfter = null) => _script.Enqueue((status, body, retryAfter));

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (HttpListenerException) { return; }
            catch (ObjectDisposedException) { return; }
            var req = ctx.Request;
            Stream body = req.InputStream;
            if (req.Headers["Content-Encoding"] == "gzip") body = new GZipStream(body, CompressionMode.Decompress);
            var text = await new StreamReader(body).ReadToEndAsync();
            Requests.Enqueue(new(req.HttpMethod, req.Url!.PathAndQuery, req.Headers["Authorization"], req.Headers["Content-Encoding"], text, DateTime.UtcNow));
            var (status, reply, retryAfter) = _script.TryDequeue(out var s) ? s : (204, "", null);
            ctx.Response.StatusCode = status;
            if (retryAfter is not null) ctx.Response.Headers["Retry-After"] = retryAfter;
            if (reply.Length > 0)
            {
                ctx.Response.ContentType = "application/json";
                await ctx.Response.OutputStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(reply));
            }
            ctx.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
