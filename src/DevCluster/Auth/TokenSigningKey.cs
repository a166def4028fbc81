using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Hosting;

namespace RecOperator.DevCluster.Auth;

/// <summary>
/// The service-account token signing key (kube-apiserver's --service-account-signing-key-file): an ES256 key kept in
/// DATA_DIR/sa.key, so tokens issued before a restart on the same data directory stay valid; a fresh one per server
/// without a data directory. Tokens are compact JWTs with the key's id in the header, as the real issuer writes them.
/// </summary>
public sealed class TokenSigningKey : IDisposable
{
    public const string FileName = "sa.key";

    private readonly ECDsa _key;
    private readonly string _keyId;
    private readonly byte[] _header;

    private TokenSigningKey(ECDsa key)
    {
        _key = key;
        // The real issuer's kid: the unpadded base64url SHA-256 of the public key's DER form.
        _keyId = Base64Url.EncodeToString(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
        _header = Encoding.UTF8.GetBytes(new JsonObject { ["alg"] = "ES256", ["kid"] = _keyId }.ToJsonString());
    }

    public static TokenSigningKey LoadOrCreate(string? directory)
    {
        var path = directory is null ? null : Path.Combine(directory, FileName);
        var key = ECDsa.Create();
        if (path is not null && File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
            return new TokenSigningKey(key);
        }
        key.GenerateKey(ECCurve.NamedCurves.nistP256);
        if (path is not null)
        {
            File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
            PrivateFile.Restrict(path);
        }
        return new TokenSigningKey(key);
    }

    public string Sign(JsonObject payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var signingInput = $"{Base64Url.EncodeToString(_header)}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()))}";
        // .NET signs in the IEEE P1363 form (r || s), which is what JWS ES256 wants.
        return $"{signingInput}.{Base64Url.EncodeToString(_key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256))}";
    }

    /// <summary>The payload of a token this key signed; null for anything else (not a JWT, another key, a bad signature).</summary>
    public JsonObject? Verify(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }
        try
        {
            if (JsonNode.Parse(Base64Url.DecodeFromChars(parts[0])) is not JsonObject header
                || header["alg"]?.GetValue<string>() != "ES256" || header["kid"]?.GetValue<string>() != _keyId
                || !_key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256))
            {
                return null;
            }
            return JsonNode.Parse(Base64Url.DecodeFromChars(parts[1])) as JsonObject;
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    public void Dispose() => _key.Dispose();
}
