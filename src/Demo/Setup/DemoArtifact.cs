namespace RecOperator.Demo.Setup;

/// <summary>One built model file the demo serves: its path, content hash and precision name.</summary>
public sealed record DemoArtifact(string Path, string Sha256, string Precision)
{
    public string FileUri => new Uri(System.IO.Path.GetFullPath(Path)).AbsoluteUri;
}
