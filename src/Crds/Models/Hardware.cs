using System.ComponentModel;
using System.Text.Json.Serialization;

namespace RecOperator.Crds.Models;

/// <summary>The kind of hardware a variant or a node pool is for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Hardware>))]
[Description("The kind of hardware: Cpu, Gpu or Asic.")]
public enum Hardware
{
    Cpu,
    Gpu,
    Asic,
}
