namespace RecOperator.DevCluster.NodeAgent;

/// <summary>The node pools to register and the images the node agent knows how to run.</summary>
public sealed record NodeAgentConfig
{
    public IReadOnlyList<NodePoolConfig> Pools { get; init; } = [];

    public IReadOnlyList<ImageCommand> Images { get; init; } = [];

    /// <summary>The mapping for an image reference (registry/repo[:tag][@digest]); null when none matches.</summary>
    public ImageCommand? FindImage(string image) =>
        Images.FirstOrDefault(i => string.Equals(i.Repository, RepositoryOf(image), StringComparison.Ordinal));

    /// <summary>Strips the digest and the tag; a colon before the last slash is a registry port, not a tag.</summary>
    public static string RepositoryOf(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var name = at >= 0 ? image[..at] : image;
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[..colon] : name;
    }
}
