using System.Globalization;
using System.Net;
using System.Text.Json;

namespace RecOperator.Operator.Metrics;

/// <summary>Instant queries against the Prometheus HTTP API (<c>GET /api/v1/query</c>), each answer given a meaning.</summary>
public sealed class PrometheusClient(HttpClient http, PrometheusClientOptions options)
{
    /// <summary>Where the queries go, for messages.</summary>
    public Uri BaseAddress => options.BaseAddress;

    public Task<PrometheusQueryResult> QueryAsync(string promQl, CancellationToken cancellationToken) =>
        QueryAsync(promQl, at: null, cancellationToken);

    /// <summary>
    /// An instant query evaluated at <paramref name="at"/> (Prometheus' <c>time</c> parameter), or at the moment
    /// Prometheus receives it when null.
    /// </summary>
    public async Task<PrometheusQueryResult> QueryAsync(string promQl, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        var query = "api/v1/query?query=" + Uri.EscapeDataString(promQl);
        if (at is { } time)
        {
            query += "&time=" + (time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
        }

        var uri = new Uri(options.BaseAddress, query);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (options.Authorization is { } auth)
        {
            try
            {
                request.Headers.Authorization = await auth.HeaderAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                return PrometheusQueryResult.Missing($"authorization: {e.Message}");
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                // An auth proxy in front of Prometheus answers these in its own format, often not JSON.
                return PrometheusQueryResult.Missing($"HTTP {(int)response.StatusCode}: Prometheus refused the request " + (options.Authorization is { } sent
                    ? $"with the authorization from {sent.Origin}"
                    : $"(no authorization configured: {PrometheusAuthorization.EnvironmentVariable} or --prometheus-authorization-file)"));
            }

            var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            using var json = await JsonDocument.ParseAsync(body, cancellationToken: timeout.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? Interpret(json.RootElement)
                : PrometheusQueryResult.Missing($"HTTP {(int)response.StatusCode}: {Error(json.RootElement)}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return PrometheusQueryResult.Missing($"timed out after {options.Timeout.TotalSeconds:0.###} s");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException)
        {
            return PrometheusQueryResult.Missing($"query failed: {e.Message}");
        }
    }

    private static PrometheusQueryResult Interpret(JsonElement root)
    {
        if (root.GetProperty("status").GetString() != "success")
        {
            return PrometheusQueryResult.Missing($"Prometheus error: {Error(root)}");
        }

        var data = root.GetProperty("data");
        var result = data.GetProperty("result");
        switch (data.GetProperty("resultType").GetString())
        {
            case "scalar":
                return Value(result);
            case "vector" when result.GetArrayLength() == 0:
                return PrometheusQueryResult.Missing("no series");
            case "vector" when result.GetArrayLength() > 1:
                return PrometheusQueryResult.Missing($"{result.GetArrayLength()} series; the query must aggregate to one");
            case "vector":
                return Value(result[0].GetProperty("value"));
            default:
                return PrometheusQueryResult.Missing($"unsupported result type {data.GetProperty("resultType").GetString()}");
        }
    }

    private static PrometheusQueryResult Value(JsonElement pair)
    {
        // Prometheus sends [unixTime, "value"] with the value as a string, including "NaN", "+Inf" and "-Inf".
        var text = pair[1].GetString();
        var value = text switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ => double.Parse(text ?? "NaN", NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return double.IsNaN(value) ? PrometheusQueryResult.Missing("NaN: no data in the window") : PrometheusQueryResult.Of(value);
    }

    private static string Error(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e) ? e.GetString() ?? "unknown" : "unknown";
}
