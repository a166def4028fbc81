using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// The DeleteOptions an eviction deletes its pod with: the Eviction's own `deleteOptions` (checked as a DELETE's body
/// is), with the request's `dryRun` carried into them as the real server's propagateDryRun does, so a dry run of the
/// eviction is a dry run of everything it would write (the budget included), and `kubectl drain --dry-run=server`,
/// which puts dryRun only in deleteOptions, changes nothing.
/// </summary>
public static class EvictionOptions
{
    public static DeleteOptions Of(JsonObject eviction, IReadOnlyCollection<string?> queryDryRun)
    {
        ArgumentNullException.ThrowIfNull(eviction);
        ArgumentNullException.ThrowIfNull(queryDryRun);
        var body = JsonTree.Get(eviction, "deleteOptions") switch
        {
            null => new JsonObject(),
            JsonObject o => o,
            var other => throw ApiErrors.BadRequest($"Eviction deleteOptions: must be an object, not {other.ToJsonString()}"),
        };
        var options = RequestOptions.DeleteOptionsOf(body, QueryCollection.Empty);
        var bodyDryRun = (body["dryRun"] as JsonArray ?? []).Select(JsonTree.ScalarText).ToList();
        if (bodyDryRun.Count > 0 && queryDryRun.Count > 0 && !bodyDryRun.SequenceEqual(queryDryRun))
        {
            // A plain error in the real handler, so the apiserver answers it as an internal error.
            throw new ApiException($"Internal error occurred: Non-matching dry-run options in request and content: [{string.Join(' ', queryDryRun)}] and [{string.Join(' ', bodyDryRun)}]");
        }
        return options with { DryRun = options.DryRun || queryDryRun.Count > 0 };
    }
}
