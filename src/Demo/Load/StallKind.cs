using System.Text.Json.Serialization;

namespace RecOperator.Demo.Load;

/// <summary>What a <see cref="ProcessStall"/> stopped: the whole process (a dedicated thread overslept) or the thread pool's queue.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StallKind>))]
public enum StallKind
{
    Process,
    ThreadPool,
}
