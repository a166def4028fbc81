using System.Text.Json.Serialization;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>JSON of the host-ports annotation.</summary>
[JsonSerializable(typeof(Dictionary<string, int>))]
internal sealed partial class HostPortsJsonContext : JsonSerializerContext;
