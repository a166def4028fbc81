namespace RecOperator.Crds.Validation;

/// <summary>One thing wrong with a resource: the JSON field path (e.g. <c>spec.variants[1].replicas</c>) and why.</summary>
public sealed record FieldError(string Path, string Reason)
{
    public override string ToString() => $"{Path}: {Reason}";
}
