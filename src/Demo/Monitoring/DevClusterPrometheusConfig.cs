using System.Globalization;
using RecOperator.DevCluster.Hosting;
using RecOperator.DevCluster.Monitoring;
using RecOperator.Operator.Desired;

namespace RecOperator.Demo.Monitoring;

/// <summary>
/// prometheus.yml for a Prometheus watching DevCluster's inference pods the way the chart's PodMonitor does in a
/// cluster: the pods come from DevCluster's HTTP service discovery (<see cref="PrometheusPodTargets"/>, with the meta
/// labels of Kubernetes discovery's pod role), the operator's inference pods and their http port are kept, and
/// namespace, model, variant and pool are copied onto every series, as the autoscaler's queries select by them.
/// A pure function of where DevCluster is and how to reach it.
/// </summary>
public static class DevClusterPrometheusConfig
{
    /// <summary>How often the demo's Prometheus scrapes: a few samples inside the demo's 15 s autoscaling window.</summary>
    public static readonly TimeSpan DemoScrapeInterval = TimeSpan.FromSeconds(2);

    /// <summary>The demo's configuration for this DevCluster: its address, token and CA, scraped every <see cref="DemoScrapeInterval"/>.</summary>
    public static string For(DevClusterServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return Render(server.BaseAddress, server.TokenFile, server.CaFile, DemoScrapeInterval);
    }

    /// <param name="apiServer">DevCluster's base address.</param>
    /// <param name="tokenFile">Its bearer token (DATA/token); null for a plain-HTTP DevCluster without authentication.</param>
    /// <param name="caFile">Its CA certificate (DATA/ca.crt); null for plain HTTP.</param>
    /// <param name="scrapeInterval">How often pods are scraped and the pod list is refreshed.</param>
    public static string Render(Uri apiServer, string? tokenFile, string? caFile, TimeSpan scrapeInterval)
    {
        // The type is spelled out: Prometheus 2.42's HTTP discovery sends the bare credentials without it.
        ArgumentNullException.ThrowIfNull(apiServer);
        var interval = ((int)Math.Max(1, scrapeInterval.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s";
        var access = (tokenFile is null ? "" : $"""

                    authorization:
                      type: Bearer
                      credentials_file: '{tokenFile}'
            """) + (caFile is null ? "" : $"""

                    tls_config:
                      ca_file: '{caFile}'
            """);
        return $"""
            # Written by `recop demo --metrics-source prometheus`: DevCluster's inference pods, as the chart's PodMonitor scrapes them.
            global:
              scrape_interval: {interval}
              scrape_timeout: {interval}
            scrape_configs:
              - job_name: recpod
                http_sd_configs:
                  - url: '{new Uri(apiServer, PrometheusPodTargets.Path)}'
                    refresh_interval: {interval}{access}
                relabel_configs:
                  - source_labels: [{Meta(ChildLabels.Name)}, {Meta(ChildLabels.ManagedBy)}]
                    regex: '{ChildLabels.AppName};{ChildLabels.Manager}'
                    action: keep
                  - source_labels: [__meta_kubernetes_pod_container_port_name]
                    regex: '{PodPorts.HttpName}'
                    action: keep
                  - source_labels: [__meta_kubernetes_namespace]
                    target_label: namespace
                  - source_labels: [__meta_kubernetes_pod_name]
                    target_label: pod
                  - source_labels: [{Meta(ChildLabels.Model)}]
                    target_label: model
                  - source_labels: [{Meta(ChildLabels.Variant)}]
                    target_label: variant
                  - source_labels: [{Meta(ChildLabels.Pool)}]
                    target_label: pool

            """;
    }

    private static string Meta(string podLabel) => "__meta_kubernetes_pod_label_" + PrometheusPodTargets.Sanitize(podLabel);
}
