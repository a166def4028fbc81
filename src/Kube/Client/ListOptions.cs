namespace RecOperator.Kube.Client;

/// <summary>Query options shared by list and watch calls.</summary>
public sealed record ListOptions
{
    /// <summary>e.g. <c>app=web,tier!=cache</c>.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>e.g. <c>metadata.name=x,status.phase=Running</c>.</summary>
    public string? FieldSelector { get; init; }

    /// <summary>Page size; the server returns a continue token when more remain.</summary>
    public int? Limit { get; init; }

    /// <summary>The continue token of the previous page.</summary>
    public string? Continue { get; init; }

    /// <summary>For a watch: the version to start after. For a list: "0" lets the server answer from its cache.</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>Asks the server to send BOOKMARK events so a resumed watch starts from a recent version.</summary>
    public bool AllowWatchBookmarks { get; init; }

    /// <summary>Server-side limit on a watch's duration; the server then ends the stream cleanly.</summary>
    public int? TimeoutSeconds { get; init; }

    internal QueryString ToQuery(bool watch)
    {
        var query = new QueryString()
            .Add("labelSelector", LabelSelector)
            .Add("fieldSelector", FieldSelector)
            .Add("resourceVersion", ResourceVersion)
            .Add("timeoutSeconds", TimeoutSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return watch
            ? query.Add("watch", "true").Add("allowWatchBookmarks", AllowWatchBookmarks ? "true" : null)
            : query.Add("limit", Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture)).Add("continue", Continue);
    }
}
