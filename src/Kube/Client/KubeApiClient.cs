using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.Kube.Config;

namespace RecOperator.Kube.Client;

/// <summary>
/// The connection to one API server: authentication, throttling retries, error mapping and JSON. Typed access
/// goes through <see cref="For{T}()"/> (built-in and custom kinds) or <see cref="Unstructured"/> (any kind).
/// </summary>
public sealed partial class KubeApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly KubeApiClientOptions _options;

    public KubeApiClient(KubeClientConfig config, KubeApiClientOptions? options = null)
    {
        Config = config ?? throw new ArgumentNullException(nameof(config));
        _options = options ?? new KubeApiClientOptions();
        var handler = _options.Handler ?? KubeHttpHandlerFactory.CreateForClient(config);
        // Timeouts are per request (watches are endless), so the HttpClient's own is off.
        _http = new HttpClient(handler, disposeHandler: true) { BaseAddress = config.Server, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(_options.UserAgent);
        Logger = (_options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<KubeApiClient>();
        JsonOptions = new JsonSerializerOptions(KubeJsonContext.Default.Options)
        {
            TypeInfoResolver = _options.AdditionalTypes is null
                ? KubeJsonContext.Default
                : JsonTypeInfoResolver.Combine(KubeJsonContext.Default, _options.AdditionalTypes),
        };
        JsonOptions.MakeReadOnly();
    }

    public KubeClientConfig Config { get; }

    public JsonSerializerOptions JsonOptions { get; }

    internal ILogger Logger { get; }

    internal TimeProvider TimeProvider => _options.TimeProvider;

    internal ILoggerFactory LoggerFactory => _options.LoggerFactory ?? NullLoggerFactory.Instance;

    /// <summary>Typed access to a kind that knows its own descriptor (every generated kind, and the CRD types).</summary>
    public ResourceClient<T> For<T>()
        where T : class, IKubernetesResource => For<T>(T.Descriptor);

    public ResourceClient<T> For<T>(ResourceDescriptor descriptor)
        where T : class, IKubernetesObject => new(this, descriptor, TypeInfo<T>(), ObjectIdentity.Of);

    /// <summary>Access to any kind as plain JSON objects.</summary>
    public ResourceClient<JsonObject> Unstructured(ResourceDescriptor descriptor) =>
        new(this, descriptor, KubeJsonContext.Default.JsonObject, ObjectIdentity.Of);

    public JsonTypeInfo<T> TypeInfo<T>() =>
        JsonOptions.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
        ?? throw new InvalidOperationException($"no JSON metadata for {typeof(T).Name}: pass its context in KubeApiClientOptions.AdditionalTypes");

    /// <summary>Sends a request and reads the whole response within the request timeout.</summary>
    internal async Task<TResult> SendAsync<TResult>(
        HttpMethod method, string pathAndQuery, (string Body, string ContentType)? content,
        Func<Stream, CancellationToken, ValueTask<TResult>> read, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            using var response = await SendWithRetriesAsync(method, pathAndQuery, content, timeout.Token).ConfigureAwait(false);
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            return await read(body, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{method} {pathAndQuery} took longer than {_options.RequestTimeout}");
        }
    }

    /// <summary>Opens a streaming response (a watch); the caller owns and disposes it.</summary>
    internal async Task<HttpResponseMessage> OpenStreamAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            return await SendWithRetriesAsync(HttpMethod.Get, pathAndQuery, null, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"GET {pathAndQuery} did not answer within {_options.RequestTimeout}");
        }
    }

    private async Task<HttpResponseMessage> SendWithRetriesAsync(
        HttpMethod method, string pathAndQuery, (string Body, string ContentType)? content, CancellationToken cancellationToken)
    {
        var throttled = 0;
        var renewed = false;
        while (true)
        {
            // Taken before the token so a 401 names the credential this request carried.
            var execCredential = Config.ExecPlugin is { } plugin ? await plugin.GetAsync(cancellationToken).ConfigureAwait(false) : null;
            using var request = new HttpRequestMessage(method, pathAndQuery);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (Config.Token is { } tokenSource && await tokenSource.GetTokenAsync(cancellationToken).ConfigureAwait(false) is { Length: > 0 } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            if (content is { } c)
            {
                request.Content = new StringContent(c.Body, Encoding.UTF8);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(c.ContentType);
            }

            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            _options.OnResponse?.Invoke(method, (int)response.StatusCode);
            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                // As client-go: a refused plugin credential (revoked, or expired early) is replaced once; the request
                // was refused before the server acted on it, so sending it again is safe.
                if (response.StatusCode == HttpStatusCode.Unauthorized && execCredential is not null && !renewed)
                {
                    renewed = true;
                    LogCredentialRefused(Logger, method.Method, pathAndQuery);
                    Config.ExecPlugin!.Invalidate(execCredential);
                    continue;
                }

                var retryAfter = RetryAfter(response);
                if (response.StatusCode == HttpStatusCode.TooManyRequests && throttled < _options.MaxThrottleRetries)
                {
                    var delay = retryAfter ?? _options.DefaultRetryAfter;
                    LogThrottled(Logger, method.Method, pathAndQuery, delay, ++throttled);
                    await Task.Delay(delay, TimeProvider, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                throw KubeApiErrors.FromResponse(response.StatusCode, body, retryAfter);
            }
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - TimeProvider.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    public void Dispose() => _http.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} throttled (429); retry {Attempt} after {Delay}")]
    private static partial void LogThrottled(ILogger logger, string method, string path, TimeSpan delay, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} refused the exec plugin's credential (401); running the plugin again")]
    private static partial void LogCredentialRefused(ILogger logger, string method, string path);
}
