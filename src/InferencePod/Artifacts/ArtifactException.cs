namespace RecOperator.InferencePod.Artifacts;

/// <summary>The artifact cannot be used: missing, not downloadable, or not the bytes its sha256 promises.</summary>
public sealed class ArtifactException : Exception
{
    public ArtifactException()
    {
    }

    public ArtifactException(string message) : base(message)
    {
    }

    public ArtifactException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
