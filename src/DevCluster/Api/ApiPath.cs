namespace RecOperator.DevCluster.Api;

/// <summary>
/// A parsed resource URL: `/api/v1/namespaces/{ns}/{plural}/{name}/{subresource}` or the `/apis/{group}/{version}`
/// form. Plural null means the group-version discovery document itself.
/// </summary>
public sealed record ApiPath(string Group, string Version, string? Namespace, string? Plural, string? Name, string? Subresource)
{
    private static readonly string[] NamespaceSubresources = ["status", "finalize"];

    public static ApiPath? Parse(string path)
    {
        var parts = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group;
        string[] rest;
        if (parts.Length >= 2 && parts[0] == "api")
        {
            group = "";
            rest = parts[1..];
        }
        else if (parts.Length >= 3 && parts[0] == "apis")
        {
            group = parts[1];
            rest = parts[2..];
        }
        else
        {
            return null;
        }
        var version = rest[0];
        rest = rest[1..];
        if (rest.Length >= 3 && rest[0] == "namespaces" && !NamespaceSubresources.Contains(rest[2]))
        {
            return rest.Length switch
            {
                3 => new ApiPath(group, version, rest[1], rest[2], null, null),
                4 => new ApiPath(group, version, rest[1], rest[2], rest[3], null),
                5 => new ApiPath(group, version, rest[1], rest[2], rest[3], rest[4]),
                _ => null,
            };
        }
        return rest.Length switch
        {
            0 => new ApiPath(group, version, null, null, null, null),
            1 => new ApiPath(group, version, null, rest[0], null, null),
            2 => new ApiPath(group, version, null, rest[0], rest[1], null),
            3 => new ApiPath(group, version, null, rest[0], rest[1], rest[2]),
            _ => null,
        };
    }
}
