using System.Collections.Concurrent;
using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Operator.Metrics;
using RecOperator.Operator.Metrics.Scraping;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Autoscaling.Loop;

/// <summary>
/// The sources the spec names: Direct reads the operator's own scrapes of the model's pods; Prometheus queries the
/// model's Prometheus (one client per URL, shared by the models that name it). Where the operator runs with a
/// cluster Prometheus (<c>--metrics-source=prometheus --prometheus-url</c>), Direct models read that Prometheus too,
/// so the pods are not scraped twice. The operator's Prometheus authorization goes only to the cluster Prometheus's
/// origin (scheme, host and port): a RecModel may name any URL, and whoever writes one must not receive the credential.
/// </summary>
public sealed class ModelMetricsSources(
    ScrapeStore scrapes, HttpClient http, TimeProvider time, TimeSpan prometheusTimeout, string? clusterPrometheusUrl = null,
    PrometheusAuthorization? authorization = null) : IModelMetricsSources
{
    private readonly ConcurrentDictionary<string, PrometheusClient> _prometheus = new(StringComparer.Ordinal);

    public IMetricsSource For(RecModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var spec = model.Spec.Autoscaling.Metrics;
        var url = spec.Source == MetricsSourceKind.Prometheus ? spec.PrometheusUrl ?? clusterPrometheusUrl : clusterPrometheusUrl;
        if (url is not null)
        {
            var client = _prometheus.GetOrAdd(url, u => new PrometheusClient(http, new PrometheusClientOptions
            {
                BaseAddress = WithTrailingSlash(u),
                Timeout = prometheusTimeout,
                Authorization = SameOrigin(u, clusterPrometheusUrl) ? authorization : null,
            }));
            return new PrometheusMetricsSource(client, ObjectKey.Of(model));
        }

        return new ScrapingMetricsSource(ObjectKey.Of(model), scrapes, time);
    }

    private static bool SameOrigin(string url, string? cluster) =>
        cluster is not null && Uri.TryCreate(url, UriKind.Absolute, out var a) && Uri.TryCreate(cluster, UriKind.Absolute, out var b)
        && Uri.Compare(a, b, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    // Relative query paths resolve under the URL's own path only when it ends with a slash.
    private static Uri WithTrailingSlash(string url) => new(url.EndsWith('/') ? url : url + "/");
}
