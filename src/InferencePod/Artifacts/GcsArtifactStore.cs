using System.Net.Http.Headers;

namespace RecOperator.InferencePod.Artifacts;

/// <summary>
/// gs:// artifacts: a media download through the GCS JSON API
/// (<c>/storage/v1/b/BUCKET/o/OBJECT?alt=media</c>, the object name percent-encoded whole, its slashes too), with a
/// bearer token when <see cref="GcsTokenSource"/> finds one.
/// </summary>
internal sealed class GcsArtifactStore(GcsSettings settings, HttpClient http) : IArtifactStore
{
    // Asked once per object rather than kept: a pod fetches one or two objects at start-up, and a kept token would
    // need its expiry watched.
    public async Task<StoreRequest> RequestAsync(string artifact, CancellationToken cancellationToken)
    {
        var location = ObjectLocation.Parse(artifact);
        var url = ObjectUrl(settings, location);
        var credential = await GcsTokenSource.GetAsync(http, settings, cancellationToken).ConfigureAwait(false);
        var message = new HttpRequestMessage(HttpMethod.Get, url);
        if (credential.Token is { } token)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return new StoreRequest(message, credential.Description);
    }

    public string Refusal(StoreRequest request, HttpResponseMessage response, string body)
    {
        var text = $"GCS answered {(int)response.StatusCode} {response.ReasonPhrase}";
        if (StoreErrorBodies.Gcs(body) is { } detail)
        {
            text += ": " + detail;
        }
        return (int)response.StatusCode is 401 or 403 ? $"{text} ({request.Credentials})" : text;
    }

    /// <summary>The JSON API's media URL of the object. Pure.</summary>
    public static Uri ObjectUrl(GcsSettings settings, ObjectLocation location)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var url = $"{settings.ApiBase.TrimEnd('/')}/storage/v1/b/{Uri.EscapeDataString(location.Bucket)}/o/{Uri.EscapeDataString(location.Key)}?alt=media";
        return Uri.TryCreate(url, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ArtifactException($"artifact '{location}': {GcsSettings.EmulatorHostVariable} '{settings.ApiBase}' is not a host[:port] or an http(s) URL");
    }
}
