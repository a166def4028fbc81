namespace RecOperator.Demo.Setup;

/// <summary>Where the demo's autoscaler reads QPS and p99.</summary>
public enum DemoMetricsSource
{
    /// <summary>The operator scrapes the pods itself (the default; needs nothing else).</summary>
    Direct,

    /// <summary>
    /// A real Prometheus the demo starts, discovering the pods from DevCluster; the operator queries it, as it would
    /// with <c>--metrics-source=prometheus</c> in a cluster.
    /// </summary>
    Prometheus,
}
