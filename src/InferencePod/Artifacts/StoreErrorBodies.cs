using System.Text.Json;
using System.Xml;
using System.Xml.Linq;

namespace RecOperator.InferencePod.Artifacts;

/// <summary>
/// What a store's error body says, for the message a refused download stops start-up with. Pure. A body that is not
/// the store's format (a proxy's HTML page, an empty body) says nothing rather than failing the error report.
/// </summary>
internal static class StoreErrorBodies
{
    /// <summary>S3's XML error (<c>&lt;Error&gt;&lt;Code&gt;..&lt;/Code&gt;&lt;Message&gt;..&lt;/Message&gt;</c>) as "Code: Message".</summary>
    public static string? S3(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!body.TrimStart().StartsWith('<'))
        {
            return null;
        }
        try
        {
            // The body comes from the network: no DTDs and no external resolution.
            using var reader = XmlReader.Create(new StringReader(body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            var root = XDocument.Load(reader).Root;
            var code = root?.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;
            var message = root?.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value;
            return (code, message) switch
            {
                ({ Length: > 0 }, { Length: > 0 }) => $"{code}: {message}",
                ({ Length: > 0 }, _) => code,
                (_, { Length: > 0 }) => message,
                _ => null,
            };
        }
        catch (XmlException)
        {
            return null;
        }
    }

    /// <summary>The GCS JSON API's error (<c>{"error": {"code": 404, "message": "..."}}</c>) as its message.</summary>
    public static string? Gcs(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String
                ? message.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
