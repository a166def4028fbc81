using System.Text.Json.Serialization;

namespace RecOperator.Demo.Summary;

/// <summary>What clients saw in one 5 s window of the run: requests scheduled in it, failures, p99 of the answered ones.</summary>
public sealed record P99WindowPoint(
    [property: JsonPropertyName("fromSeconds")] double FromSeconds,
    [property: JsonPropertyName("requests")] int Requests,
    [property: JsonPropertyName("errors")] int Errors,
    [property: JsonPropertyName("p99Ms")] double? P99Ms);
