namespace RecOperator.Observability;

/// <summary>
/// Renders the current metrics for a scrape. The seam that lets another exporter (for example prometheus-net) replace
/// the project's own without touching the servers that expose <c>/metrics</c>.
/// </summary>
public interface IMetricsExporter
{
    /// <summary>The media type of the rendered text, for the response's Content-Type.</summary>
    string ContentType { get; }

    /// <summary>Writes every metric as of now.</summary>
    Task WriteAsync(Stream destination, CancellationToken cancellationToken);
}
