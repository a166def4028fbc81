using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Metrics.Scraping;

/// <summary>One ready inference pod to scrape: which model, variant and pool it serves, and where its /metrics is.</summary>
/// <param name="Model">The RecModel (namespace and name) the pod belongs to.</param>
/// <param name="Pod">The pod, from the Endpoints address' targetRef.</param>
/// <param name="Variant">The pod's variant label.</param>
/// <param name="Pool">The pod's node-pool label.</param>
/// <param name="MetricsUri">The pod's /metrics address (DevCluster: 127.0.0.1 and the host port).</param>
public sealed record ScrapeTarget(ObjectKey Model, ObjectKey Pod, string Variant, string Pool, Uri MetricsUri);
