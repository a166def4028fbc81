using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RecOperator.DevCluster.Resources;
using RecOperator.DevCluster.Storage;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// The list parameters: label and field selectors, `limit` and the opaque `continue` token. `resourceVersion` and
/// `timeoutSeconds` are checked here for list and watch alike (the real server refuses a non-integer of either with
/// 400); their use is the watch's.
/// </summary>
public sealed record ListQuery(LabelSelector Labels, FieldSelector Fields, int Limit, ContinueToken? Continue)
{
    public static ListQuery From(IQueryCollection query, ResourceType type)
    {
        if (query["resourceVersion"].ToString() is { Length: > 0 } rv && !long.TryParse(rv, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw ApiErrors.BadRequest($"invalid resourceVersion \"{rv}\": must be an integer");
        }
        if (query.TryGetValue("timeoutSeconds", out var timeout) && !long.TryParse(timeout, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            throw ApiErrors.BadRequest($"invalid timeoutSeconds \"{timeout}\": must be an integer");
        }
        var limit = 0;
        if (query.TryGetValue("limit", out var limitText) && !int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit))
        {
            throw ApiErrors.BadRequest($"invalid limit \"{limitText}\": must be a non-negative integer");
        }
        ContinueToken? after = null;
        if (query.TryGetValue("continue", out var token) && !string.IsNullOrEmpty(token))
        {
            after = ContinueToken.Parse(token!);
        }
        return new ListQuery(LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"], type, query["labelSelector"]), limit, after);
    }

    public bool IsEverything => ReferenceEquals(Labels, LabelSelector.Everything) && ReferenceEquals(Fields, FieldSelector.Everything);

    public bool Matches(JsonObject obj) => Labels.Matches(JsonTree.Labels(obj)) && Fields.Matches(obj);

    /// <summary>
    /// The same test on a stored object: labels come from its remembered metadata, and it is parsed (into
    /// <paramref name="parsed"/>) only when a field selector needs more than that, so a selective list or watch
    /// no longer parses every candidate.
    /// </summary>
    public bool Matches(StoredObject stored, out JsonObject? parsed)
    {
        ArgumentNullException.ThrowIfNull(stored);
        parsed = null;
        if (!Labels.Matches(StoredMetadata.Of(stored).Labels))
        {
            return false;
        }
        if (ReferenceEquals(Fields, FieldSelector.Everything))
        {
            return true;
        }
        parsed = stored.Parse();
        return Fields.Matches(parsed);
    }

    /// <summary>
    /// The store as this list reads it: the latest state for a first page, and for a continued one the state at the
    /// first page's revision, so every page is one snapshot as on the real server (objects created after the first
    /// page do not show up, changed ones show as they were). A revision that has left the store's history is
    /// 410 Expired with a token that goes on after the same key at the latest revision, the real server's offer.
    /// </summary>
    public StoreState SnapshotFor(ObjectStore store, string resource)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (Continue is not { Revision: > 0 } token)
        {
            return store.Snapshot;
        }
        return store.SnapshotAt(resource, token.Revision)
            ?? throw ApiErrors.ContinueExpired((token with { Revision = ContinueToken.Latest }).Encode());
    }

    /// <summary>
    /// One page of a consistent snapshot: items in key order after the continue key, up to the limit,
    /// plus the token for the next page and how many items remain.
    /// </summary>
    public (List<JsonObject> Items, string? Continue, long? Remaining) Page(StoreState snapshot, string resource, string? ns)
    {
        var items = new List<JsonObject>();
        string? lastKey = null;
        var remaining = 0L;
        var full = false;
        foreach (var (key, stored) in snapshot.Of(resource))
        {
            if ((ns is not null && stored.Namespace != ns) || (Continue is not null && string.CompareOrdinal(key, Continue.StartAfter) <= 0))
            {
                continue;
            }
            if (Fields.PinnedName is { } pinned && stored.Name != pinned)
            {
                continue;
            }
            if (!Matches(stored, out var obj))
            {
                continue;
            }
            if (full)
            {
                remaining++;
                continue;
            }
            items.Add(obj ?? stored.Parse());
            lastKey = key;
            full = Limit > 0 && items.Count >= Limit;
        }
        return remaining > 0 ? (items, new ContinueToken(snapshot.Revision, lastKey!).Encode(), remaining) : (items, null, null);
    }
}
