namespace RecOperator.Kube;

/// <summary>Group, version and plural resource name: everything needed to build the URLs of a kind.</summary>
/// <param name="Group">API group; empty for the core group served under <c>/api</c>.</param>
/// <param name="Version">API version, e.g. <c>v1</c>.</param>
/// <param name="Kind">The kind's name, e.g. <c>Deployment</c>.</param>
/// <param name="Plural">The lower-case plural resource name in URLs, e.g. <c>deployments</c>.</param>
/// <param name="Namespaced">True when objects live in a namespace.</param>
public sealed record ResourceDescriptor(string Group, string Version, string Kind, string Plural, bool Namespaced)
{
    /// <summary><c>group/version</c>, or just the version for the core group.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The URL prefix of the group version: <c>/api/v1</c> or <c>/apis/apps/v1</c>.</summary>
    public string GroupVersionPath => Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";

    /// <summary>The collection URL, scoped to a namespace when one is given and the kind is namespaced.</summary>
    public string CollectionPath(string? ns)
    {
        if (Namespaced && !string.IsNullOrEmpty(ns))
        {
            return $"{GroupVersionPath}/namespaces/{Uri.EscapeDataString(ns)}/{Plural}";
        }

        return $"{GroupVersionPath}/{Plural}";
    }

    /// <summary>The URL of one object, or of its subresource (<c>status</c>, <c>scale</c>).</summary>
    public string ObjectPath(string name, string? ns, string? subresource = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (Namespaced && string.IsNullOrEmpty(ns))
        {
            throw new ArgumentException($"{Kind} is namespaced: a namespace is required to address '{name}'", nameof(ns));
        }

        var path = $"{CollectionPath(ns)}/{Uri.EscapeDataString(name)}";
        return subresource is null ? path : $"{path}/{subresource}";
    }
}
