using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RecOperator.DevCluster.Auth;
using RecOperator.DevCluster.Patching;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Api;

/// <summary>Maps the HTTP verbs on a resource URL to the generic registry (collection, item, subresources).</summary>
public sealed class ResourceEndpoint
{
    private readonly ResourceService _service;
    private readonly WatchStreamer _watch;
    private readonly ScaleSubresourceHandler _scale;
    private readonly PodBindingHandler _binding;
    private readonly PodEvictionHandler _eviction;
    private readonly PodLogHandler _log;
    private readonly ServerSideApply _apply;
    private readonly TokenRequestHandler _token;
    private readonly ReviewHandler _reviews;
    private readonly RbacPolicyCache _policy;
    private readonly TimeProvider _time;

    /// <param name="dataDirectory">Where the node agent keeps pod logs (under pod-logs), for the pods' log subresource; null when nothing is kept.</param>
    /// <param name="policy">The RBAC objects, for the create check of a server-side apply that creates its object and for the self-reviews.</param>
    /// <param name="tokens">Issues the tokens of the serviceaccounts/token subresource.</param>
    /// <param name="authenticator">Answers TokenReviews.</param>
    public ResourceEndpoint(ResourceService service, WatchStreamer watch, TimeProvider time, RbacPolicyCache policy, ServiceAccountTokens tokens, Authenticator authenticator,
        string? dataDirectory = null)
    {
        _policy = policy;
        _token = new TokenRequestHandler(service, tokens, time);
        _reviews = new ReviewHandler(policy, authenticator);
        _service = service;
        _watch = watch;
        _time = time;
        _scale = new ScaleSubresourceHandler(service);
        _binding = new PodBindingHandler(service, time);
        _eviction = new PodEvictionHandler(service, time);
        _log = new PodLogHandler(service, dataDirectory, time);
        _apply = new ServerSideApply(service, time);
    }

    public async Task HandleAsync(HttpContext context, ResourceType type, ApiPath path, CancellationToken ct)
    {
        var method = context.Request.Method;
        var ns = path.Namespace ?? "";
        // A namespaced object needs its namespace in the path, and a cluster-scoped resource has no namespaced path
        // (GET /api/v1/namespaces/default/nodes is 404 on a real server, not a list of nodes).
        if ((type.Namespaced && path.Namespace is null && path.Name is not null) || (!type.Namespaced && path.Namespace is not null))
        {
            throw ApiErrors.PathNotFound();
        }
        if (ReviewHandler.Serves(type))
        {
            await _reviews.HandleAsync(context, type, path, ct).ConfigureAwait(false);
            return;
        }
        if (path.Subresource is { } sub && !(sub == "status" && type.HasStatus) && !(sub == "scale" && type.Scale is not null)
            && !(sub == "finalize" && type.Kind == "Namespace") && !(sub == "binding" && PodBindingHandler.Serves(type)) && !(sub == "eviction" && PodEvictionHandler.Serves(type))
            && !(sub == "log" && PodLogHandler.Serves(type)) && !(sub == "token" && TokenRequestHandler.Serves(type)))
        {
            throw ApiErrors.PathNotFound();
        }
        if (path.Name is null)
        {
            await CollectionAsync(context, type, path.Namespace, method, ct).ConfigureAwait(false);
            return;
        }
        if (path.Subresource == "scale")
        {
            await _scale.HandleAsync(context, type, ns, path.Name, ct).ConfigureAwait(false);
            return;
        }
        if (path.Subresource == "binding")
        {
            await _binding.HandleAsync(context, type, ns, path.Name, ct).ConfigureAwait(false);
            return;
        }
        if (path.Subresource == "eviction")
        {
            await _eviction.HandleAsync(context, type, ns, path.Name, ct).ConfigureAwait(false);
            return;
        }
        if (path.Subresource == "token")
        {
            await _token.HandleAsync(context, type, ns, path.Name, ct).ConfigureAwait(false);
            return;
        }
        if (path.Subresource == "log")
        {
            await _log.HandleAsync(context, type, ns, path.Name, ct).ConfigureAwait(false);
            return;
        }
        switch (method)
        {
            case "GET":
                await Respond(context, type, 200, _service.Get(type, ns, path.Name), ct).ConfigureAwait(false);
                break;
            case "PUT":
                var body = HttpIo.ParseObject(context.Request, await HttpIo.ReadBodyAsync(context.Request, ct).ConfigureAwait(false));
                await Respond(context, type, 200, await _service.UpdateAsync(type, ns, path.Name, body, path.Subresource, RequestOptions.WriteOptionsOf(context.Request), ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                break;
            case "PATCH":
                await PatchAsync(context, type, ns, path, RequestOptions.WriteOptionsOf(context.Request), ct).ConfigureAwait(false);
                break;
            case "DELETE" when path.Subresource is not null:
                // status and finalize are views of the object, not objects: DELETE there must not delete it.
                throw ApiErrors.MethodNotAllowed();
            case "DELETE":
                var options = await RequestOptions.DeleteOptionsOf(context.Request, ct).ConfigureAwait(false);
                var (deleted, gone) = await _service.DeleteAsync(type, ns, path.Name, options, ct).ConfigureAwait(false);
                // 200 with the object either way, as kube-apiserver answers; 202 only for an explicit orphanDependents=false
                // on an object that is not gone yet (the API server keeps that for old clients).
                await Respond(context, type, !gone && options.OrphanDependentsFalse ? 202 : 200, deleted, ct).ConfigureAwait(false);
                break;
            default:
                throw ApiErrors.MethodNotAllowed();
        }
    }

    private async Task CollectionAsync(HttpContext context, ResourceType type, string? ns, string method, CancellationToken ct)
    {
        var scopeNs = type.Namespaced ? ns : null;
        switch (method)
        {
            case "GET" when context.Request.Query["watch"] is var w && (w == "true" || w == "1"):
                await _watch.StreamAsync(context, type, scopeNs, ct).ConfigureAwait(false);
                break;
            case "GET":
                await ListAsync(context, type, scopeNs, ct).ConfigureAwait(false);
                break;
            case "POST":
                var body = HttpIo.ParseObject(context.Request, await HttpIo.ReadBodyAsync(context.Request, ct).ConfigureAwait(false));
                var created = await _service.CreateAsync(type, ns ?? "", body, RequestOptions.WriteOptionsOf(context.Request), ct).ConfigureAwait(false);
                await Respond(context, type, 201, created, ct).ConfigureAwait(false);
                break;
            case "DELETE":
                var query = ListQuery.From(context.Request.Query, type);
                var options = await RequestOptions.DeleteOptionsOf(context.Request, ct).ConfigureAwait(false);
                var items = new JsonArray();
                foreach (var item in query.Page(query.SnapshotFor(_service.Store, type.StorageKey), type.StorageKey, scopeNs).Items)
                {
                    var name = JsonTree.GetString(item, "metadata.name")!;
                    var (deleted, _) = await _service.DeleteAsync(type, JsonTree.GetString(item, "metadata.namespace") ?? "", name, options, ct).ConfigureAwait(false);
                    items.Add(deleted);
                }
                await HttpIo.WriteJsonAsync(context.Response, 200, ListOf(type, items, _service.Store.Revision, null, null), ct).ConfigureAwait(false);
                break;
            default:
                throw ApiErrors.MethodNotAllowed();
        }
    }

    private async Task ListAsync(HttpContext context, ResourceType type, string? ns, CancellationToken ct)
    {
        var query = ListQuery.From(context.Request.Query, type);
        var snapshot = query.SnapshotFor(_service.Store, type.StorageKey);
        var (stored, next, remaining) = query.Page(snapshot, type.StorageKey, ns);
        var items = stored.Select(item => ResourceService.Present(type, item)).ToList();
        JsonObject result;
        if (TableConverter.Wanted(context.Request.Headers.Accept))
        {
            result = TableConverter.Build(type, items, context.Request.Query["includeObject"], withColumns: true, _time.GetUtcNow());
            result["metadata"] = ListMeta(snapshot.Revision, next, remaining);
        }
        else
        {
            result = ListOf(type, new JsonArray(items.ToArray<JsonNode?>()), snapshot.Revision, next, remaining);
        }
        await HttpIo.WriteJsonAsync(context.Response, 200, result, ct).ConfigureAwait(false);
    }

    private async Task PatchAsync(HttpContext context, ResourceType type, string ns, ApiPath path, WriteOptions options, CancellationToken ct)
    {
        var contentType = PatchApplier.Normalize(context.Request.ContentType);
        var body = await HttpIo.ReadBodyAsync(context.Request, ct).ConfigureAwait(false);
        JsonObject result;
        var code = 200;
        if (contentType == PatchApplier.ApplyPatch)
        {
            var user = RequestUser.Of(context);
            var requestPath = context.Request.Path.Value ?? "";
            var (applied, created) = await _apply.ApplyAsync(type, ns, path.Name!, path.Subresource, HttpIo.ParseYamlOrJson(body), options,
                () => AuthorizeCreate(RequestAttributes.Of(user, "PATCH", requestPath, null, null).As("create")), ct).ConfigureAwait(false);
            result = applied;
            code = created ? 201 : 200;
        }
        else
        {
            result = await _service.ChangeAsync(type, ns, path.Name!, path.Subresource, options, current =>
            {
                var old = current.Parse();
                var patched = PatchApplier.Apply(type, old, contentType, body);
                if (JsonTree.GetString(patched, "metadata.resourceVersion") is { Length: > 0 } rv && rv != JsonTree.GetString(old, "metadata.resourceVersion"))
                {
                    throw ApiErrors.Modified(type, path.Name!);
                }
                return patched;
            }, ct).ConfigureAwait(false);
        }
        await Respond(context, type, code, result, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// kube-apiserver authorizes a patch that creates its object (server-side apply of a new object) a second time, as a
    /// create: allowed to patch is not allowed to create.
    /// </summary>
    private void AuthorizeCreate(RequestAttributes create)
    {
        var decision = RbacAuthorizer.Authorize(create, _policy.Current);
        if (!decision.Allowed)
        {
            throw ApiErrors.CreateOnPatchForbidden(create, decision.Reason);
        }
    }

    private Task Respond(HttpContext context, ResourceType type, int code, JsonObject obj, CancellationToken ct) =>
        TableConverter.Wanted(context.Request.Headers.Accept)
            ? HttpIo.WriteJsonAsync(context.Response, code, TableConverter.Build(type, [obj], context.Request.Query["includeObject"], true, _time.GetUtcNow()), ct)
            : HttpIo.WriteJsonAsync(context.Response, code, obj, ct);

    private static JsonObject ListOf(ResourceType type, JsonArray items, long revision, string? next, long? remaining) => new()
    {
        ["kind"] = type.ListKind,
        ["apiVersion"] = type.ApiVersion,
        ["metadata"] = ListMeta(revision, next, remaining),
        ["items"] = items,
    };

    private static JsonObject ListMeta(long revision, string? next, long? remaining)
    {
        var meta = new JsonObject { ["resourceVersion"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (next is not null)
        {
            meta["continue"] = next;
            meta["remainingItemCount"] = remaining;
        }
        return meta;
    }
}
