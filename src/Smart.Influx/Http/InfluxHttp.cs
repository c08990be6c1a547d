using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace Smart.Influx.Http;

/// <summary>The write endpoint (v1 or v2) over one pooled <see cref="HttpClient"/>; classifies every answer once.</summary>
internal sealed partial class InfluxHttp : IDisposable
{
    private readonly InfluxOptions _options;
    private readonly HttpClient _http;
    private readonly Uri _writeUri;
    private readonly AuthenticationHeaderValue? _auth;

    public InfluxHttp(InfluxOptions options)
    {
        _options = options;
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.MaxConcurrentWrites + 2,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = options.RequestTimeout,
        })
        { Timeout = Timeout.InfiniteTimeSpan };
        _writeUri = WriteUri(options);
        _auth = Authorization(options);
    }

    public static Uri WriteUri(InfluxOptions o)
    {
        var precision = PrecisionParameter(o.Precision);
        var db = Uri.EscapeDataString(o.Database);
        var path = o.ApiVersion == InfluxApiVersion.V2
            ? $"api/v2/write?org={Uri.EscapeDataString(o.Org!)}&bucket={db}&precision={precision}"
            : $"write?db={db}&precision={precision}{(o.RetentionPolicy is { } rp ? "&rp=" + Uri.EscapeDataString(rp) : "")}";
        return new Uri(o.Url, path);
    }

    public static AuthenticationHeaderValue? Authorization(InfluxOptions o)
    {
        if (o.ApiVersion == InfluxApiVersion.V2) return new AuthenticationHeaderValue("Token", o.Token);
        if (o.Username is null) return null;
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{o.Username}:{o.Password}"));
        return new AuthenticationHeaderValue("Basic", basic);
    }

    public static string PrecisionParameter(InfluxPrecision p) => p switch
    {
        InfluxPrecision.Nanoseconds => "ns",
        InfluxPrecision.Microseconds => "u",
        InfluxPrecision.Milliseconds => "ms",
        _ => "s",
    };

    public async Task<WriteOutcome> WriteAsync(ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _writeUri) { Content = Content(body) };
            request.Headers.Authorization = _auth;
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.OK) return WriteOutcome.Ok;
            var error = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            return Classify((int)response.StatusCode, error, RetryAfter(response));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new WriteOutcome(WriteOutcomeKind.Retryable, 0, $"no answer within {_options.RequestTimeout.TotalSeconds:0.#} s", TimedOut: true);
        }
        catch (HttpRequestException e)
        {
            return new WriteOutcome(WriteOutcomeKind.Retryable, 0, e.Message);
        }
    }

    /// <summary>GET /ping: true on 204 (InfluxDB is up and ready).</summary>
    public async Task<bool> PingAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            using var r = await _http.GetAsync(new Uri(_options.Url, "ping"), timeout.Token).ConfigureAwait(false);
            return r.StatusCode == HttpStatusCode.NoContent;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { return false; }
        catch (HttpRequestException) { return false; }
    }

    private HttpContent Content(ReadOnlyMemory<byte> body)
    {
        HttpContent content = _options.Gzip ? new ByteArrayContent(Gzip(body.Span)) : new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        if (_options.Gzip) content.Headers.ContentEncoding.Add("gzip");
        return content;
    }

    private static byte[] Gzip(ReadOnlySpan<byte> body)
    {
        using var ms = new MemoryStream(body.Length / 4 + 64);
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(body);
        return ms.ToArray();
    }

    internal static WriteOutcome Classify(int status, string body, TimeSpan? retryAfter)
    {
        var error = ErrorText(body);
        // 1.x: 400 {"error":"partial write: ... dropped=N"}; 2.x: 400/422 {"message":"failure writing points to database: partial write: ..."}.
        if (status is 400 or 422 && error.Contains("partial write", StringComparison.Ordinal))
            return new WriteOutcome(WriteOutcomeKind.Partial, status, error, DroppedCount(error));
        return status switch
        {
            // Nothing (1.x/2.x 400, 413) or an unknown part (2.x 422, 3.x 400) was stored: split and resend, which is
            // idempotent for the good lines and isolates the bad ones.
            400 or 413 or 422 => new WriteOutcome(WriteOutcomeKind.Rejected, status, error),
            408 or 429 or >= 500 => new WriteOutcome(WriteOutcomeKind.Retryable, status, error, 0, retryAfter),
            _ => new WriteOutcome(WriteOutcomeKind.Misconfigured, status, error),
        };
    }

    private static string ErrorText(string body)
    {
        var m = ErrorJson().Match(body);
        return m.Success ? Regex.Unescape(m.Groups[1].Value) : body.Trim();
    }

    /// <summary>influxd 1.x ends a partial-write error with <c>dropped=N</c> (0 for unparseable lines, which it also drops).</summary>
    private static long DroppedCount(string error)
    {
        var m = DroppedRegex().Match(error);
        return m.Success ? long.Parse(m.Groups[1].ValueSpan) : 0;
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage r)
    {
        var ra = r.Headers.RetryAfter;
        if (ra?.Delta is { } d) return d;
        if (ra?.Date is { } date) return date - DateTimeOffset.UtcNow;
        return null;
    }

    [GeneratedRegex("\"(?:error|message)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex ErrorJson();

    [GeneratedRegex(@"dropped=(\d+)")]
    private static partial Regex DroppedRegex();

    public void Dispose() => _http.Dispose();
}
