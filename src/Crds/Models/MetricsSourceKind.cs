using System.ComponentModel;
using System.Text.Json.Serialization;

namespace RecOperator.Crds.Models;

/// <summary>Where the autoscaler reads QPS and p99 from.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MetricsSourceKind>))]
[Description("Where QPS and p99 come from: Direct (the operator scrapes the pods' /metrics) or Prometheus (HTTP API).")]
public enum MetricsSourceKind
{
    Direct,
    Prometheus,
}
