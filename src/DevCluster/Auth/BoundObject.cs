namespace RecOperator.DevCluster.Auth;

/// <summary>The object a service-account token is bound to (a Pod or a Secret): the token is valid only while it exists with this uid.</summary>
public sealed record BoundObject(string Kind, string Name, string Uid);
