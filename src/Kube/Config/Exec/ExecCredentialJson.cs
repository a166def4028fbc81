using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace RecOperator.Kube.Config.Exec;

/// <summary>
/// The ExecCredential exchanged with a plugin (client.authentication.k8s.io v1 and v1beta1 have the same shape):
/// the request passed in KUBERNETES_EXEC_INFO, and the answer read from its standard output. No I/O.
/// </summary>
public static class ExecCredentialJson
{
    public const string Kind = "ExecCredential";

    /// <summary>The request: never interactive (the operator has no terminal), with the cluster when the kubeconfig provides it.</summary>
    public static string Request(ExecPluginSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("kind", Kind);
            json.WriteString("apiVersion", spec.ApiVersion);
            json.WriteStartObject("spec");
            if (spec.Cluster is { } cluster)
            {
                WriteCluster(json, cluster);
            }

            json.WriteBoolean("interactive", false);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads the plugin's answer; throws <see cref="ExecPluginException"/> naming what is wrong (never the secret itself).</summary>
    public static ExecCredential Parse(string stdout, ExecPluginSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stdout);
        }
        catch (JsonException e)
        {
            // The output is not echoed: a half-written credential is still a secret.
            throw Problem(spec, $"printed no valid JSON on standard output ({e.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Problem(spec, "printed JSON that is not an object; expected an ExecCredential");
            }

            var kind = Text(root, "kind");
            if (kind != Kind)
            {
                throw Problem(spec, $"printed kind '{kind}'; expected {Kind}");
            }

            var apiVersion = Text(root, "apiVersion");
            if (apiVersion != spec.ApiVersion)
            {
                throw Problem(spec, $"printed apiVersion '{apiVersion}', but the kubeconfig asks for {spec.ApiVersion}");
            }

            if (!root.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Object)
            {
                throw Problem(spec, "printed an ExecCredential without status");
            }

            return Credential(status, spec);
        }
    }

    private static ExecCredential Credential(JsonElement status, ExecPluginSpec spec)
    {
        var token = Text(status, "token") is { Length: > 0 } t ? t : null;
        var certificatePem = Text(status, "clientCertificateData") is { Length: > 0 } c ? c : null;
        var keyPem = Text(status, "clientKeyData") is { Length: > 0 } k ? k : null;
        if ((certificatePem is null) != (keyPem is null))
        {
            throw Problem(spec, certificatePem is null
                ? "returned status.clientKeyData without status.clientCertificateData"
                : "returned status.clientCertificateData without status.clientKeyData");
        }

        if (token is null && certificatePem is null)
        {
            throw Problem(spec, "returned neither status.token nor status.clientCertificateData with status.clientKeyData");
        }

        X509Certificate2? certificate = null;
        if (certificatePem is not null)
        {
            try
            {
                certificate = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            }
            catch (CryptographicException e)
            {
                throw Problem(spec, "returned status.clientCertificateData and status.clientKeyData that are not a PEM certificate and its key: " + e.Message);
            }
        }

        return new ExecCredential(token, certificate, Expiry(status, spec));
    }

    private static DateTimeOffset? Expiry(JsonElement status, ExecPluginSpec spec)
    {
        if (Text(status, "expirationTimestamp") is not { Length: > 0 } text)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var expires)
            ? expires
            : throw Problem(spec, $"returned status.expirationTimestamp '{text}', which is not an RFC 3339 time");
    }

    private static void WriteCluster(Utf8JsonWriter json, ExecClusterInfo cluster)
    {
        // Field names and omissions as client-go marshals clientauthentication Cluster: false and empty are left out.
        json.WriteStartObject("cluster");
        json.WriteString("server", cluster.Server);
        if (cluster.TlsServerName is { Length: > 0 } serverName)
        {
            json.WriteString("tls-server-name", serverName);
        }

        if (cluster.InsecureSkipTlsVerify)
        {
            json.WriteBoolean("insecure-skip-tls-verify", true);
        }

        if (cluster.CertificateAuthorityPem is { Length: > 0 } ca)
        {
            // A Go []byte is base64 in JSON.
            json.WriteBase64String("certificate-authority-data", Encoding.UTF8.GetBytes(ca));
        }

        if (cluster.ProxyUrl is { Length: > 0 } proxy)
        {
            json.WriteString("proxy-url", proxy);
        }

        if (cluster.DisableCompression)
        {
            json.WriteBoolean("disable-compression", true);
        }

        if (cluster.Config is { } config)
        {
            json.WritePropertyName("config");
            config.WriteTo(json);
        }

        json.WriteEndObject();
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static ExecPluginException Problem(ExecPluginSpec spec, string problem) => new($"{ExecPluginRunner.Describe(spec)} {problem}");
}
