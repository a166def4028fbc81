namespace RecOperator.DevCluster.Auth;

/// <summary>
/// What RBAC is asked about a request, derived from its method and URL the way kube-apiserver's request-info resolver
/// does: a resource request (under /api/v1 or /apis/GROUP/VERSION with a resource) has a verb (get, list, watch,
/// create, update, patch, delete, deletecollection), group, namespace, resource, subresource and name; anything else
/// (discovery, /version, /healthz, /openapi) is a non-resource request whose verb is the lower-case HTTP method.
/// </summary>
public sealed record RequestAttributes
{
    public required UserInfo User { get; init; }

    public required string Verb { get; init; }

    public bool IsResourceRequest { get; init; }

    /// <summary>The URL path; what nonResourceURLs rules match.</summary>
    public string Path { get; init; } = "";

    public string ApiGroup { get; init; } = "";

    public string ApiVersion { get; init; } = "";

    public string Namespace { get; init; } = "";

    public string Resource { get; init; } = "";

    public string Subresource { get; init; } = "";

    public string Name { get; init; } = "";

    /// <summary>The verbs a path prefix carries instead of the method (/api/v1/watch/pods), which the resolver still knows.</summary>
    private static readonly string[] SpecialVerbs = ["proxy", "watch"];

    /// <summary>Path segments after /namespaces/NAME that are the namespace's own subresources, not a resource inside it.</summary>
    private static readonly string[] NamespaceSubresources = ["status", "finalize"];

    /// <param name="watch">The `watch` query parameter; a GET of a collection with it true is a watch.</param>
    /// <param name="fieldSelector">The `fieldSelector` query parameter: on a list or watch, `metadata.name=X` names the object, so resourceNames rules can allow watching one object.</param>
    public static RequestAttributes Of(UserInfo user, string method, string path, string? watch, string? fieldSelector)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        var nonResource = new RequestAttributes { User = user, Verb = method.ToLowerInvariant(), Path = path };
        var parts = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        // /api/VERSION/RESOURCE... or /apis/GROUP/VERSION/RESOURCE...: anything shorter is discovery.
        if (parts.Length < 3 || parts[0] is not ("api" or "apis") || (parts[0] == "apis" && parts.Length < 4))
        {
            return nonResource;
        }
        var group = parts[0] == "apis" ? parts[1] : "";
        var rest = parts[(parts[0] == "apis" ? 2 : 1)..];
        var version = rest[0];
        rest = rest[1..];
        string verb;
        if (SpecialVerbs.Contains(rest[0]))
        {
            if (rest.Length < 2)
            {
                return nonResource with { IsResourceRequest = true, ApiGroup = group, ApiVersion = version };
            }
            verb = rest[0];
            rest = rest[1..];
        }
        else
        {
            verb = method switch
            {
                "POST" => "create",
                "GET" or "HEAD" => "get",
                "PUT" => "update",
                "PATCH" => "patch",
                "DELETE" => "delete",
                _ => "",
            };
        }
        var ns = "";
        if (rest[0] == "namespaces" && rest.Length > 1)
        {
            ns = rest[1];
            if (rest.Length > 2 && !NamespaceSubresources.Contains(rest[2]))
            {
                rest = rest[2..];
            }
        }
        var attributes = new RequestAttributes
        {
            User = user,
            Verb = verb,
            IsResourceRequest = true,
            Path = path,
            ApiGroup = group,
            ApiVersion = version,
            Namespace = ns,
            Resource = rest[0],
            Name = rest.Length >= 2 ? rest[1] : "",
            // A proxy takes the rest of the path as its own, never as a subresource.
            Subresource = rest.Length >= 3 && verb != "proxy" ? rest[2] : "",
        };
        if (attributes.Name.Length == 0 && verb == "get")
        {
            attributes = attributes with { Verb = IsTrue(watch) ? "watch" : "list", Name = PinnedName(fieldSelector) ?? "" };
        }
        if (attributes.Name.Length == 0 && attributes.Verb == "delete")
        {
            attributes = attributes with { Verb = "deletecollection" };
        }
        return attributes;
    }

    /// <summary>The same request asked as another verb: a server-side apply that creates its object is also checked as a create.</summary>
    public RequestAttributes As(string verb) => this with { Verb = verb };

    /// <summary>What a `bool` query parameter holds for Go's strconv.ParseBool.</summary>
    private static bool IsTrue(string? value) => value is "1" or "t" or "T" or "true" or "TRUE" or "True";

    /// <summary>The name an exact `metadata.name=` (or `==`) term of a field selector requires, when it is a valid path segment.</summary>
    private static string? PinnedName(string? fieldSelector)
    {
        foreach (var term in (fieldSelector ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (term.Contains("!=", StringComparison.Ordinal))
            {
                continue;
            }
            var op = term.Contains("==", StringComparison.Ordinal) ? "==" : "=";
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at > 0 && term[..at].Trim() == "metadata.name" && term[(at + op.Length)..].Trim() is { Length: > 0 } name
                && name is not ("." or "..") && !name.Contains('/', StringComparison.Ordinal) && !name.Contains('%', StringComparison.Ordinal))
            {
                return name;
            }
        }
        return null;
    }
}
