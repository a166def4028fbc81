namespace RecOperator.InferencePod.Artifacts;

/// <summary>Each step of one SigV4 signature, so a test can compare every one with a published example.</summary>
/// <param name="Authorization">The Authorization header's value.</param>
public sealed record SigV4Signature(string CanonicalRequest, string StringToSign, string Signature, string Authorization);
