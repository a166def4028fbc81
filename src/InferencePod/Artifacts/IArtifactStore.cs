namespace RecOperator.InferencePod.Artifacts;

/// <summary>
/// One kind of place artifacts are downloaded from (a web server, S3, GCS): how to ask it for an object and how to
/// read its refusals. The download itself (cache, temporary file, sha256, TLS trust) is <see cref="ArtifactFetcher"/>'s,
/// the same for every store.
/// </summary>
internal interface IArtifactStore
{
    /// <summary>The GET for the artifact, authenticated as the store needs (a signature, a bearer token, or none).</summary>
    Task<StoreRequest> RequestAsync(string artifact, CancellationToken cancellationToken);

    /// <summary>
    /// Why the store did not answer with the object, from its status, headers and error body (empty, or not the
    /// store's format, when something in between answered), e.g. <c>S3 answered 404 Not Found: NoSuchKey: ...</c>.
    /// </summary>
    string Refusal(StoreRequest request, HttpResponseMessage response, string body);
}
