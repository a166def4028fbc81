namespace RecOperator.Kube.Client;

/// <summary>The patch formats the API server accepts, each with its content type.</summary>
public enum PatchType
{
    /// <summary>RFC 7386 JSON merge patch (<c>application/merge-patch+json</c>).</summary>
    Merge,

    /// <summary>RFC 6902 JSON patch, a list of operations (<c>application/json-patch+json</c>).</summary>
    Json,

    /// <summary>Server-side apply: the full intent of one field manager (<c>application/apply-patch+yaml</c>).</summary>
    Apply,
}
