using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace RecOperator.Kube.Client;

/// <summary>Behaviour of the client that is not about where the server is.</summary>
public sealed record KubeApiClientOptions
{
    /// <summary>JSON metadata for types outside this assembly (custom resources), tried after the built-in context.</summary>
    public IJsonTypeInfoResolver? AdditionalTypes { get; init; }

    public ILoggerFactory? LoggerFactory { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How often a 429 is retried (after the server's Retry-After) before it is thrown.</summary>
    public int MaxThrottleRetries { get; init; } = 3;

    /// <summary>Used when a 429 carries no Retry-After.</summary>
    public TimeSpan DefaultRetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Limit on a whole non-watch request, and on a watch until the server starts answering.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Replaces the socket handler built from the config (tests, proxies).</summary>
    public HttpMessageHandler? Handler { get; init; }

    public string UserAgent { get; init; } = "recoperator";

    /// <summary>
    /// Told the method and status code of every response the server sends (retries and watch starts included), as
    /// client-go's rest_client_requests_total counts them: the operator exports it to show what it costs the server.
    /// </summary>
    public Action<HttpMethod, int>? OnResponse { get; init; }
}
