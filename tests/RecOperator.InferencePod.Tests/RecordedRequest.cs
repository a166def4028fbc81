namespace RecOperator.InferencePod.Tests;

/// <summary>A request a fake store received: the request target exactly as sent, and its headers (names lower-cased).</summary>
internal sealed record RecordedRequest(string Target, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
