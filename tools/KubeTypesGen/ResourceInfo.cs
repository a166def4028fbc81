namespace RecOperator.KubeTypesGen;

/// <summary>Where a kind is served: what the client needs to build its URLs.</summary>
public sealed record ResourceInfo(string Group, string Version, string Kind, string Plural, bool Namespaced);
