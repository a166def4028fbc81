using System.Text.Json.Nodes;
using RecOperator.DevCluster.Auth;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Api;

/// <summary>The error shapes of the real API server, with its exact wording where clients match on it.</summary>
public static class ApiErrors
{
    public static ApiException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.GroupResource} \"{name}\" not found", Details(type, name));

    public static ApiException NamespaceNotFound(string ns) =>
        new(404, "NotFound", $"namespaces \"{ns}\" not found", new JsonObject { ["name"] = ns, ["kind"] = "namespaces" });

    public static ApiException PathNotFound() =>
        new(404, "NotFound", "the server could not find the requested resource");

    public static ApiException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.GroupResource} \"{name}\" already exists", Details(type, name));

    public static ApiException Conflict(ResourceType type, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {type.GroupResource} \"{name}\": {why}", Details(type, name));

    public static ApiException Modified(ResourceType type, string name) => Conflict(type, name,
        "the object has been modified; please apply your changes to the latest version and try again");

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException Gone(string message) => new(410, "Expired", message);

    /// <summary>
    /// A paged list's `continue` whose revision the store no longer holds: 410 in the real server's words, carrying
    /// <paramref name="latestToken"/>, which goes on after the same key at the latest revision (an inconsistent list).
    /// </summary>
    public static ApiException ContinueExpired(string latestToken) => new(410, "Expired",
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, "
        + "or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an "
        + "inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
    {
        Continue = latestToken,
    };

    public static ApiException MethodNotAllowed() => new(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");

    public static ApiException UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json, application/merge-patch+json, application/json-patch+json, application/apply-patch+yaml ({contentType})");

    public static ApiException Forbidden(ResourceType type, string name, string why) =>
        new(403, "Forbidden", $"{type.GroupResource} \"{name}\" is forbidden: {why}", Details(type, name));

    /// <summary>
    /// A create in a namespace being deleted: 403 in the NamespaceLifecycle admission's words, with the
    /// `NamespaceTerminating` cause that controllers look for to stop retrying into a namespace that is going away.
    /// </summary>
    public static ApiException NamespaceTerminating(ResourceType type, string name, string ns)
    {
        var details = Details(type, name);
        details["causes"] = new JsonArray(new JsonObject
        {
            ["reason"] = "NamespaceTerminating", ["message"] = $"namespace {ns} is being terminated", ["field"] = "metadata.namespace",
        });
        return new ApiException(403, "Forbidden", $"{type.GroupResource} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated", details);
    }

    /// <summary>422 with one cause per bad field, the shape `kubectl` prints as "Invalid value".</summary>
    public static ApiException Invalid(ResourceType type, string name, IReadOnlyList<FieldError> errors)
    {
        var details = Details(type, name);
        details["kind"] = type.Kind;
        details["causes"] = new JsonArray(errors.Select(e => (JsonNode)new JsonObject
        {
            ["reason"] = e.Reason,
            ["message"] = e.Message,
            ["field"] = e.Field,
        }).ToArray());
        var qualifiedKind = type.Group.Length == 0 ? type.Kind : $"{type.Kind}.{type.Group}";
        return new ApiException(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {Aggregate(errors)}", details);
    }

    /// <summary>422 for request options (CreateOptions, PatchOptions, DeleteOptions...): kind in group meta.k8s.io, empty name.</summary>
    public static ApiException InvalidOptions(string kind, IReadOnlyList<FieldError> errors)
    {
        var details = new JsonObject
        {
            ["group"] = "meta.k8s.io",
            ["kind"] = kind,
            ["causes"] = new JsonArray(errors.Select(e => (JsonNode)new JsonObject { ["reason"] = e.Reason, ["message"] = e.Message, ["field"] = e.Field }).ToArray()),
        };
        return new ApiException(422, "Invalid", $"{kind}.meta.k8s.io \"\" is invalid: {Aggregate(errors)}", details);
    }

    /// <summary>
    /// The errors as Go's error aggregate prints them: repeats once, and in brackets only when more than one is left
    /// (`ConfigMap "x" is invalid: data: ...` for one).
    /// </summary>
    private static string Aggregate(IReadOnlyList<FieldError> errors)
    {
        var messages = errors.Select(e => e.ToString()).Distinct(StringComparer.Ordinal).ToList();
        return messages.Count == 1 ? messages[0] : $"[{string.Join(", ", messages)}]";
    }

    public static ApiException Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    /// <summary>
    /// A request the authorizer did not allow, in the words of kube-apiserver's authorization filter:
    /// `deployments.apps is forbidden: User "u" cannot list resource "deployments" in API group "apps" in the namespace "ns"`,
    /// `... at the cluster scope` without a namespace, `resource "pods/log"` for a subresource, `forbidden: User "u" cannot
    /// get path "/x"` for a non-resource URL; the authorizer's reason (RBAC evaluation errors) after a colon.
    /// </summary>
    public static ApiException RequestForbidden(RequestAttributes request, string reason)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reason);
        string denial;
        if (!request.IsResourceRequest)
        {
            denial = $"User \"{request.User.Name}\" cannot {request.Verb} path \"{request.Path}\"";
        }
        else
        {
            var resource = request.Subresource.Length == 0 ? request.Resource : $"{request.Resource}/{request.Subresource}";
            denial = $"User \"{request.User.Name}\" cannot {request.Verb} resource \"{resource}\" in API group \"{request.ApiGroup}\""
                + (request.Namespace.Length > 0 ? $" in the namespace \"{request.Namespace}\"" : " at the cluster scope");
        }
        // The filter keeps its message from reading as HTML; quotes stay.
        denial = denial.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
        return ForbiddenOf(request, reason.Length == 0 ? denial : $"{denial}: {reason}");
    }

    /// <summary>
    /// A server-side apply that would create its object, by someone allowed to patch but not to create: the patch handler's
    /// own check, whose message carries only the authorizer's reason (often none): `configmaps "c" is forbidden: `.
    /// </summary>
    public static ApiException CreateOnPatchForbidden(RequestAttributes request, string reason) => ForbiddenOf(request, reason);

    /// <summary>Go's NewForbidden: group-resource and name first when there are any, details naming them.</summary>
    private static ApiException ForbiddenOf(RequestAttributes request, string why)
    {
        var details = new JsonObject();
        if (!request.IsResourceRequest)
        {
            return new ApiException(403, "Forbidden", $"forbidden: {why}", details);
        }
        var groupResource = request.ApiGroup.Length == 0 ? request.Resource : $"{request.Resource}.{request.ApiGroup}";
        if (request.Name.Length > 0)
        {
            details["name"] = request.Name;
        }
        if (request.ApiGroup.Length > 0)
        {
            details["group"] = request.ApiGroup;
        }
        details["kind"] = request.Resource;
        var message = request.Name.Length == 0 ? $"{groupResource} is forbidden: {why}" : $"{groupResource} \"{request.Name}\" is forbidden: {why}";
        return new ApiException(403, "Forbidden", message, details);
    }

    private static JsonObject Details(ResourceType type, string name)
    {
        var details = new JsonObject { ["name"] = name, ["kind"] = type.Plural };
        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }
        return details;
    }
}
