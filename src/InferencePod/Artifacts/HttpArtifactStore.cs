namespace RecOperator.InferencePod.Artifacts;

/// <summary>An http(s):// artifact: a plain GET of the URI, without credentials.</summary>
internal sealed class HttpArtifactStore : IArtifactStore
{
    public static readonly HttpArtifactStore Instance = new();

    private HttpArtifactStore()
    {
    }

    public Task<StoreRequest> RequestAsync(string artifact, CancellationToken cancellationToken) =>
        Task.FromResult(new StoreRequest(new HttpRequestMessage(HttpMethod.Get, new Uri(artifact)), "no credentials"));

    public string Refusal(StoreRequest request, HttpResponseMessage response, string body) =>
        $"download answered {(int)response.StatusCode} {response.ReasonPhrase}";
}
