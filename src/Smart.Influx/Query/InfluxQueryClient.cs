using System.IO.Pipelines;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Smart.Influx.Http;

namespace Smart.Influx.Query;

/// <summary>
/// InfluxQL over <c>/query</c> (served by InfluxDB 1.x, and by 2.x/3.x for v1 compatibility). Values are bound with
/// <c>params=</c> JSON (<c>WHERE device = $device</c>) so callers never splice user input into InfluxQL.
/// Results stream with <c>chunked=true</c> and are parsed chunk by chunk; time is epoch milliseconds.
/// </summary>
public sealed class InfluxQueryClient : IDisposable
{
    private readonly InfluxOptions _options;
    private readonly HttpClient _http;
    private readonly AuthenticationHeaderValue? _auth;

    /// <summary>Creates a client with its own connection pool.</summary>
    public InfluxQueryClient(InfluxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _auth = InfluxHttp.Authorization(options);
    }

    /// <summary>Rows per streamed chunk (<c>chunk_size</c>); InfluxDB's default is 10 000.</summary>
    public int ChunkSize { get; init; } = 10_000;

    /// <summary>Runs a read query (SELECT, SHOW) and returns its series, chunks of one series merged.</summary>
    public async Task<IReadOnlyList<InfluxSeries>> QueryAsync(string influxql, IReadOnlyDictionary<string, object?>? parameters = null, CancellationToken ct = default)
    {
        var all = new List<InfluxSeries>();
        await foreach (var piece in QueryChunksAsync(influxql, parameters, ct).ConfigureAwait(false))
        {
            if (all.Count > 0 && SameSeries(all[^1], piece)) all[^1].Values.AddRange(piece.Values);
            else all.Add(piece);
        }
        return all;
    }

    /// <summary>Streams a read query chunk by chunk (a long series arrives as several pieces, in order).</summary>
    public async IAsyncEnumerable<InfluxSeries> QueryChunksAsync(string influxql, IReadOnlyDictionary<string, object?>? parameters = null,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var url = $"query?db={Uri.EscapeDataString(_options.Database)}&epoch=ms&chunked=true&chunk_size={ChunkSize}&q={Uri.EscapeDataString(influxql)}";
        if (parameters is { Count: > 0 }) url += "&params=" + Uri.EscapeDataString(QueryParameters.ToJson(parameters));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.RequestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_options.Url, url));
        request.Headers.Authorization = _auth;
        using var response = await Send(request, influxql, timeout.Token).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
        var reader = PipeReader.Create(stream);
        await foreach (var s in ChunkedResultReader.ReadAsync(reader, influxql, timeout.Token).ConfigureAwait(false)) yield return s;
        await reader.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>Runs statements that change things (CREATE, DROP, ALTER) with POST; throws on any statement error.</summary>
    public async Task ExecuteAsync(string influxql, IReadOnlyDictionary<string, object?>? parameters = null, CancellationToken ct = default)
    {
        var form = new Dictionary<string, string> { ["q"] = influxql };
        if (parameters is { Count: > 0 }) form["params"] = QueryParameters.ToJson(parameters);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.RequestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.Url, $"query?db={Uri.EscapeDataString(_options.Database)}"))
        {
            Content = new FormUrlEncodedContent(form),
        };
        request.Headers.Authorization = _auth;
        using var response = await Send(request, influxql, timeout.Token).ConfigureAwait(false);
        var reader = PipeReader.Create(await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false));
        await foreach (var _ in ChunkedResultReader.ReadAsync(reader, influxql, timeout.Token).ConfigureAwait(false)) { }
        await reader.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>GET <c>/ping</c>: true when InfluxDB answers 204 within the request timeout (for health checks).</summary>
    public async Task<bool> PingAsync(CancellationToken ct = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            using var r = await _http.GetAsync(new Uri(_options.Url, "ping"), timeout.Token).ConfigureAwait(false);
            return r.StatusCode == System.Net.HttpStatusCode.NoContent;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { return false; }
        catch (HttpRequestException) { return false; }
    }

    private async Task<HttpResponseMessage> Send(HttpRequestMessage request, string influxql, CancellationToken ct)
    {
        HttpResponseMessage response;
        try { response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false); }
        catch (HttpRequestException e) { throw new InfluxQueryException($"InfluxDB at {_options.Url} is unreachable for '{influxql}': {e.Message}"); }
        if (response.IsSuccessStatusCode || (int)response.StatusCode == 400) return response; // 400 carries {"error":..}, parsed by the reader
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        response.Dispose();
        throw new InfluxQueryException($"InfluxDB answered {(int)response.StatusCode} to '{influxql}': {body.Trim()}");
    }

    private static bool SameSeries(InfluxSeries a, InfluxSeries b) =>
        a.StatementId == b.StatementId && a.Name == b.Name && a.Tags.Count == b.Tags.Count &&
        a.Tags.All(t => b.Tags.TryGetValue(t.Key, out var v) && v == t.Value);

    /// <summary>Disposes the connection pool.</summary>
    public void Dispose() => _http.Dispose();
}
