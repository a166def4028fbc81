using Microsoft.AspNetCore.Http;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// Warnings for a write's response, sent as the real server sends them: one `Warning: 299 - "text"` header each
/// (kubectl prints them as `Warning: text`). Under fieldValidation=Warn, the default, every unknown field dropped
/// from the object is one. A text is sent once, however many times a request's checks find it.
/// </summary>
public sealed class ResponseWarnings(HttpResponse response)
{
    private readonly HashSet<string> _sent = new(StringComparer.Ordinal);

    public void Add(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!response.HasStarted && _sent.Add(text))
        {
            response.Headers.Append("Warning", $"299 - \"{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }
    }
}
