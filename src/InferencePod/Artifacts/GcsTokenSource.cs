using System.Net;
using System.Text.Json;

namespace RecOperator.InferencePod.Artifacts;

/// <summary>
/// The bearer token for GCS: GOOGLE_OAUTH_ACCESS_TOKEN when set, else the token of the pod's service account from the
/// GCE/GKE metadata server (Workload Identity on GKE). A metadata server that cannot be reached within
/// <see cref="GcsSettings.MetadataTimeout"/>, or gives no token, means anonymous requests: public objects still download,
/// and a refusal then says why no token was sent.
/// </summary>
internal static class GcsTokenSource
{
    public const string TokenPath = "/computeMetadata/v1/instance/service-accounts/default/token";

    public static async Task<GcsCredential> GetAsync(HttpClient http, GcsSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.AccessToken is { } token)
        {
            return new GcsCredential(token, $"bearer token from {GcsSettings.AccessTokenVariable}");
        }
        if (!Uri.TryCreate($"http://{settings.MetadataHost}{TokenPath}", UriKind.Absolute, out var url))
        {
            throw new ArtifactException($"{GcsSettings.MetadataHostVariable} '{settings.MetadataHost}' is not a host[:port]");
        }
        var anonymous = $"sent without a token: {GcsSettings.AccessTokenVariable} is not set and the metadata server at {settings.MetadataHost}";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.MetadataTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            // The metadata server answers only requests that say they are meant for it.
            request.Headers.Add("Metadata-Flavor", "Google");
            using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return new GcsCredential(null, $"{anonymous} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }
            var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            return AccessToken(body) is { } fetched
                ? new GcsCredential(fetched, $"bearer token from the metadata server at {settings.MetadataHost}")
                : new GcsCredential(null, $"{anonymous} gave no access_token");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new GcsCredential(null, $"{anonymous} did not answer within {settings.MetadataTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException error)
        {
            return new GcsCredential(null, $"{anonymous} cannot be reached ({error.Message})");
        }
    }

    /// <summary>access_token of the metadata server's answer (<c>{"access_token": "...", "expires_in": 3599, "token_type": "Bearer"}</c>). Pure.</summary>
    public static string? AccessToken(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("access_token", out var token)
                && token.ValueKind == JsonValueKind.String
                && token.GetString() is { Length: > 0 } value
                ? value
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
