namespace RecOperator.InferencePod.Artifacts;

/// <summary>A store's GET for one object.</summary>
/// <param name="Credentials">How the request is authenticated, in words; said with a 401 or 403, where it is the first thing to check.</param>
internal sealed record StoreRequest(HttpRequestMessage Message, string Credentials);
