using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RecOperator.DevCluster.Auth;
using RecOperator.DevCluster.Monitoring;
using RecOperator.DevCluster.Patching;
using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// The single entry point for every request: health without credentials; then bearer-token authentication (401),
/// impersonation headers, and RBAC authorization of the request's attributes (403), as kube-apiserver's filters run
/// before any handler; then version, discovery and OpenAPI documents, Prometheus discovery of the pods, and resource
/// URLs. Any refusal becomes a `Status` object with the real code.
/// </summary>
public sealed class ApiRequestHandler
{
    private readonly ResourceService _service;
    private readonly ResourceEndpoint _endpoint;
    private readonly Authenticator _authenticator;
    private readonly RbacPolicyCache _policy;

    public ApiRequestHandler(ResourceService service, ResourceEndpoint endpoint, Authenticator authenticator, RbacPolicyCache policy)
    {
        _service = service;
        _endpoint = endpoint;
        _authenticator = authenticator;
        _policy = policy;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        try
        {
            await RouteAsync(context, ct).ConfigureAwait(false);
        }
        catch (ApiException error) when (!context.Response.HasStarted)
        {
            await HttpIo.WriteErrorAsync(context.Response, error, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away (watch closed): nothing to answer.
        }
        catch (Exception error) when (error is InvalidOperationException or FormatException or ArgumentException or KeyNotFoundException or System.Text.Json.JsonException && !context.Response.HasStarted)
        {
            // A bug or an input shape nothing above anticipated: answer like the real server, never drop the connection.
            await HttpIo.WriteErrorAsync(context.Response, new ApiException(500, "InternalError", $"an error on the server has prevented the request from succeeding: {error.Message}"), ct).ConfigureAwait(false);
        }
    }

    private async Task RouteAsync(HttpContext context, CancellationToken ct)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path is "/livez" or "/readyz" or "/healthz")
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("ok", ct).ConfigureAwait(false);
            return;
        }
        var user = Impersonation.Apply(_authenticator.Authenticate(context.Request.Headers.Authorization.ToString()) ?? throw ApiErrors.Unauthorized(),
            context.Request.Headers, () => _policy.Current);
        var attributes = RequestAttributes.Of(user, context.Request.Method, path, context.Request.Query["watch"].ToString(), context.Request.Query["fieldSelector"].ToString());
        var decision = RbacAuthorizer.Authorize(attributes, _policy.Current);
        if (!decision.Allowed)
        {
            throw ApiErrors.RequestForbidden(attributes, decision.Reason);
        }
        RequestUser.Set(context, user);
        var registry = _service.Registry;
        switch (path.TrimEnd('/'))
        {
            case "/version":
                await HttpIo.WriteJsonAsync(context.Response, 200, DiscoveryDocuments.Version(), ct).ConfigureAwait(false);
                return;
            case "/api":
                await HttpIo.WriteJsonAsync(context.Response, 200, DiscoveryDocuments.CoreVersions(context.Request.Host.Value ?? ""), ct).ConfigureAwait(false);
                return;
            case "/apis":
                await HttpIo.WriteJsonAsync(context.Response, 200, DiscoveryDocuments.Groups(registry), ct).ConfigureAwait(false);
                return;
            case "/openapi/v2":
                var protobuf = OpenApiV2Protobuf.Preferred(context.Request.Headers.Accept.ToString());
                context.Response.ContentType = protobuf ? OpenApiV2Protobuf.MediaType : "application/json";
                await context.Response.Body.WriteAsync(protobuf ? OpenApiV2Protobuf.BuiltInDocument : BuiltInSchemas.Instance.Raw, ct).ConfigureAwait(false);
                return;
            case "/openapi/v3":
                await HttpIo.WriteJsonAsync(context.Response, 200, OpenApiV3Documents.Root(registry), ct).ConfigureAwait(false);
                return;
            case PrometheusPodTargets.Path:
                var pods = _service.Store.Snapshot.Of(registry.Find("", "v1", "pods")!.StorageKey).Values
                    .Select(stored => JsonSerializer.Deserialize(stored.Json, KubeJsonContext.Default.V1Pod)!);
                await HttpIo.WriteJsonAsync(context.Response, 200, PrometheusPodTargets.From(pods), ct).ConfigureAwait(false);
                return;
        }
        if (path.StartsWith("/openapi/v3/", StringComparison.Ordinal))
        {
            var gv = ApiPath.Parse(path["/openapi/v3".Length..]) ?? throw ApiErrors.PathNotFound();
            await HttpIo.WriteJsonAsync(context.Response, 200, OpenApiV3Documents.GroupVersion(registry, gv.Group, gv.Version), ct).ConfigureAwait(false);
            return;
        }
        var parts = path.Trim('/').Split('/');
        if (parts.Length == 2 && parts[0] == "apis")
        {
            var group = DiscoveryDocuments.Group(registry, parts[1]) ?? throw ApiErrors.PathNotFound();
            await HttpIo.WriteJsonAsync(context.Response, 200, group, ct).ConfigureAwait(false);
            return;
        }
        var apiPath = ApiPath.Parse(path) ?? throw ApiErrors.PathNotFound();
        if (apiPath.Plural is null)
        {
            var types = registry.InGroupVersion(apiPath.Group, apiPath.Version);
            if (types.Count == 0)
            {
                throw ApiErrors.PathNotFound();
            }
            await HttpIo.WriteJsonAsync(context.Response, 200, DiscoveryDocuments.ResourceList(apiPath.Group, apiPath.Version, types), ct).ConfigureAwait(false);
            return;
        }
        var type = registry.Find(apiPath.Group, apiPath.Version, apiPath.Plural) ?? throw ApiErrors.PathNotFound();
        await _endpoint.HandleAsync(context, type, apiPath, ct).ConfigureAwait(false);
    }
}
