namespace RecOperator.Operator.Tests.Reconciling;

/// <summary>One request the operator's client sent, and the status it got back.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, string? Body, string? ContentType, int Status)
{
    public string Path => PathAndQuery.Split('?')[0];

    public bool IsWrite => Method is "POST" or "PUT" or "PATCH" or "DELETE";
}
