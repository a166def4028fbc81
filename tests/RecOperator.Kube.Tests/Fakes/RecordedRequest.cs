namespace RecOperator.Kube.Tests.Fakes;

public sealed record RecordedRequest(string Method, string PathAndQuery, string Body, string? ContentType, string Authorization);
