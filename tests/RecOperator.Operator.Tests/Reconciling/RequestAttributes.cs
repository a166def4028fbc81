namespace RecOperator.Operator.Tests.Reconciling;

/// <summary>
/// What RBAC checks for a request, derived as the API server's request-info resolver does: API group, resource
/// (with subresource), verb. Paths outside /api and /apis (discovery, health) are not resource requests.
/// </summary>
public sealed record RequestAttributes(string Group, string Resource, string Verb)
{
    public override string ToString() => $"{(Group.Length == 0 ? "core" : Group)}/{Resource}:{Verb}";

    /// <summary>
    /// Every check the request passes: a PATCH that created its object (server-side apply answers 201) is authorized
    /// as a patch and then as a create (kube-apiserver's patch handler, createAuthorizerAttributes).
    /// </summary>
    public static IEnumerable<RequestAttributes> AllOf(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Of(request) is not { } attributes)
        {
            yield break;
        }

        yield return attributes;
        if (attributes.Verb == "patch" && request.Status == 201)
        {
            yield return attributes with { Verb = "create" };
        }
    }

    public static RequestAttributes? Of(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parts = request.Path.Trim('/').Split('/');
        int rest;
        string group;
        if (parts is ["api", _, ..])
        {
            (group, rest) = ("", 2);
        }
        else if (parts is ["apis", _, _, ..])
        {
            (group, rest) = (parts[1], 3);
        }
        else
        {
            return null;
        }

        var tail = parts[rest..];
        if (tail is ["namespaces", _, _, ..])
        {
            tail = tail[2..];
        }

        if (tail.Length == 0)
        {
            return null;
        }

        var resource = tail.Length >= 3 ? $"{tail[0]}/{tail[2]}" : tail[0];
        var named = tail.Length >= 2;
        var verb = request.Method switch
        {
            "GET" when named => "get",
            "GET" when request.PathAndQuery.Contains("watch=true", StringComparison.Ordinal) => "watch",
            "GET" => "list",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => named ? "delete" : "deletecollection",
            _ => request.Method.ToLowerInvariant(),
        };
        return new RequestAttributes(group, resource, verb);
    }
}
