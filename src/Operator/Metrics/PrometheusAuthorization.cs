using System.Net.Http.Headers;

namespace RecOperator.Operator.Metrics;

/// <summary>
/// The Authorization header the operator sends to Prometheus: a fixed value (<c>RECOP_PROMETHEUS_AUTHORIZATION</c>)
/// or a file (<c>--prometheus-authorization-file</c>, e.g. a mounted Secret's token), re-read whenever its size or
/// modification time changes, so a rotated token is picked up without a restart. A value without a scheme (a bare
/// token, as service-account and Secret files hold) is sent as <c>Bearer TOKEN</c>; one with a scheme
/// (<c>Basic ...</c>, <c>Bearer ...</c>) as it is.
/// </summary>
public sealed class PrometheusAuthorization
{
    private readonly string? _fixed;
    private readonly string? _path;
    // Replaced whole (one reference), so concurrent queries need no lock: at worst two of them read a changed file.
    private volatile FileValue? _fromFile;

    private PrometheusAuthorization(string? value, string? path)
    {
        _fixed = value;
        _path = path;
    }

    /// <summary>The environment variable that holds a fixed header value.</summary>
    public const string EnvironmentVariable = "RECOP_PROMETHEUS_AUTHORIZATION";

    /// <summary>Where the header comes from, for messages: the file's path, or the environment variable.</summary>
    public string Origin => _path ?? EnvironmentVariable;

    /// <exception cref="FormatException">The value is not a valid Authorization header.</exception>
    public static PrometheusAuthorization FromValue(string value)
    {
        _ = Parse(value, EnvironmentVariable);
        return new PrometheusAuthorization(value, null);
    }

    public static PrometheusAuthorization FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new PrometheusAuthorization(null, Path.GetFullPath(path));
    }

    /// <summary>
    /// The operator's setting from <c>--prometheus-authorization-file</c> and the environment variable; null when
    /// neither is given. The header is sent to the cluster Prometheus only, so one without it is a mistake.
    /// </summary>
    /// <exception cref="FormatException">Both are given, the value is not a header, or there is no cluster Prometheus.</exception>
    public static PrometheusAuthorization? FromSettings(string? file, string? value, string? clusterPrometheusUrl)
    {
        var hasFile = !string.IsNullOrWhiteSpace(file);
        var hasValue = !string.IsNullOrEmpty(value);
        if (!hasFile && !hasValue)
        {
            return null;
        }

        if (hasFile && hasValue)
        {
            throw new FormatException($"give the Prometheus authorization once: --prometheus-authorization-file or {EnvironmentVariable}, not both");
        }

        if (string.IsNullOrEmpty(clusterPrometheusUrl))
        {
            throw new FormatException($"{(hasFile ? "--prometheus-authorization-file" : EnvironmentVariable)} is sent to the cluster Prometheus only: it needs --metrics-source=prometheus --prometheus-url URL");
        }

        return hasFile ? FromFile(file!) : FromValue(value!);
    }

    /// <summary>The header to send now.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="FormatException">Its content is not a valid Authorization header.</exception>
    public async Task<AuthenticationHeaderValue> HeaderAsync(CancellationToken cancellationToken)
    {
        if (_path is null)
        {
            return Parse(_fixed!, Origin);
        }

        var file = new FileInfo(_path);
        if (!file.Exists)
        {
            throw new FileNotFoundException($"Prometheus authorization file {_path} does not exist", _path);
        }

        if (_fromFile is { } cached && cached.Written == file.LastWriteTimeUtc && cached.Length == file.Length)
        {
            return cached.Header;
        }

        var text = await File.ReadAllTextAsync(_path, cancellationToken).ConfigureAwait(false);
        var read = new FileValue(file.LastWriteTimeUtc, file.Length, Parse(text, _path));
        _fromFile = read;
        return read.Header;
    }

    private static AuthenticationHeaderValue Parse(string raw, string origin)
    {
        var value = raw.Trim();
        if (value.Length == 0)
        {
            throw new FormatException($"Prometheus authorization from {origin} is empty");
        }

        var text = value.Contains(' ', StringComparison.Ordinal) ? value : "Bearer " + value;
        return AuthenticationHeaderValue.TryParse(text, out var header) && !text.Contains('\n', StringComparison.Ordinal)
            ? header
            : throw new FormatException($"Prometheus authorization from {origin} is not a valid Authorization header value (expected 'SCHEME CREDENTIALS' or a bare token)");
    }

    private sealed record FileValue(DateTime Written, long Length, AuthenticationHeaderValue Header);
}
