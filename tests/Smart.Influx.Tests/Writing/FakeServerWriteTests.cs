using System.Collections.Concurrent;
using System.Text;
using Smart.Influx.Writing;

namespace Smart.Influx.Tests.Writing;

/// <summary>Request shapes and faults influxd 1.6.7 cannot produce, against <see cref="FakeInfluxServer"/> (hence the names).</summary>
public sealed class FakeServerWriteTests : IDisposable
{
    private readonly FakeInfluxServer _fake = new();
    private readonly ConcurrentQueue<InfluxWriterEvent> _events = new();
    private static readonly byte[] Line = Encoding.UTF8.GetBytes("m,device=d1 v=1 1700000000000\n");

    private InfluxOptions Options(Action<InfluxOptions>? configure = null)
    {
        var o = new InfluxOptions { Url = _fake.Url, Database = "smart", RequestTimeout = TimeSpan.FromSeconds(3) };
        configure?.Invoke(o);
        return o;
    }

    [Fact]
    public async Task Fake_server_sees_the_v2_write_shape_with_token_bucket_org_and_gzip()
    {
        await using var writer = new InfluxWriter(Options(o => { o.ApiVersion = InfluxApiVersion.V2; o.Token = "s3cr3t"; o.Org = "社区 org"; o.Gzip = true; }));
        await writer.WriteAsync(Line);
        var r = Assert.Single(_fake.Requests);
        Assert.Equal("POST", r.Method);
        Assert.Equal("/api/v2/write?org=%E7%A4%BE%E5%8C%BA%20org&bucket=smart&precision=ms", r.PathAndQuery);
        Assert.Equal("Token s3cr3t", r.Authorization);
        Assert.Equal("gzip", r.ContentEncoding);
        Assert.Equal(Encoding.UTF8.GetString(Line), r.Body);
    }

    [Fact]
    public async Task Fake_server_sees_the_v1_write_shape_with_basic_auth()
    {
        await using var writer = new InfluxWriter(Options(o => { o.Username = "bridge"; o.Password = "pw"; o.Precision = InfluxPrecision.Nanoseconds; }));
        await writer.WriteAsync(Line);
        var r = Assert.Single(_fake.Requests);
        Assert.Equal("/write?db=smart&precision=ns", r.PathAndQuery);
        Assert.Equal("Basic " + Convert.ToBase64String("bridge:pw"u8.ToArray()), r.Authorization);
        Assert.Null(r.ContentEncoding);
    }

    [Fact]
    public async Task Fake_server_429_with_retry_after_is_honoured_before_the_retry()
    {
        _fake.Then(429, "{\"error\":\"slow down\"}", retryAfter: "1");
        await using var writer = new InfluxWriter(Options(o => o.InitialRetryDelay = TimeSpan.FromMilliseconds(10)));
        await writer.WriteAsync(Line);
        var r = _fake.Requests.ToArray();
        Assert.Equal(2, r.Length);
        Assert.True(r[1].At - r[0].At >= TimeSpan.FromMilliseconds(950), $"retried after {(r[1].At - r[0].At).TotalMilliseconds} ms, Retry-After was 1 s");
        Assert.Equal(1, writer.Metrics.Snapshot().Retries);
    }

    [Fact]
    public async Task Fake_server_5xx_is_retried_with_backoff_until_accepted()
    {
        _fake.Then(503, "{\"error\":\"busy\"}");
        _fake.Then(500, "{\"error\":\"timeout\"}");
        await using var writer = new InfluxWriter(Options(), _events.Enqueue);
        await writer.WriteAsync(Line);
        Assert.Equal(3, _fake.Requests.Count);
        var m = writer.Metrics.Snapshot();
        Assert.Equal(2, m.Retries);
        Assert.Equal(1, m.PointsWritten);
        // Failures absorbed by the bounded retry are counted, not reported; only giving up is an event.
        Assert.DoesNotContain(_events, e => e.Kind == InfluxWriterEventKind.WriteFailed);
    }

    [Fact]
    public async Task Fake_server_401_is_misconfiguration_and_goes_to_the_spool_not_dropped()
    {
        using var spool = new Smart.Testing.TempDirectory();
        _fake.Then(401, "{\"error\":\"authorization failed\"}");
        await using var writer = new InfluxWriter(Options(o => { o.SpoolDirectory = spool.Path; o.MaxRetryDelay = TimeSpan.FromMilliseconds(200); }), _events.Enqueue);
        await writer.WriteAsync(Line);
        Assert.Contains(_events, e => e.Kind == InfluxWriterEventKind.Misconfigured && e.Message.Contains("authorization failed"));
        Assert.Equal(1, writer.Metrics.Snapshot().BatchesSpooled);
        await Smart.Testing.Eventually.UntilAsync(() => !writer.IsSpooling, TimeSpan.FromSeconds(10), "replayed once the server accepts");
        Assert.Equal(2, _fake.Requests.Count(r => r.PathAndQuery.StartsWith("/write")));
    }

    public void Dispose() => _fake.Dispose();
}
