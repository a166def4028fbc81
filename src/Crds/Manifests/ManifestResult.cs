using RecOperator.Crds.Validation;

namespace RecOperator.Crds.Manifests;

/// <summary>The verdict on one document of a manifest file.</summary>
/// <param name="File">The file the document came from.</param>
/// <param name="Document">1-based position of the document in the file.</param>
/// <param name="Resource">"Kind namespace/name" as far as the document says it, for messages.</param>
/// <param name="Errors">Everything wrong with it; empty when it is valid.</param>
/// <param name="Skipped">Not a RecOperator resource (a Namespace, a Secret ... beside them in the file): not checked.</param>
public sealed record ManifestResult(string File, int Document, string Resource, IReadOnlyList<FieldError> Errors, bool Skipped = false)
{
    public bool IsValid => Errors.Count == 0;
}
