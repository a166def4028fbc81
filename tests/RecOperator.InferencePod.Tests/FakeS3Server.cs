using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RecOperator.InferencePod.Tests;

/// <summary>
/// An S3-compatible store on 127.0.0.1 (path-style, as MinIO answers): GET /BUCKET/KEY with S3's XML errors. It does
/// not recompute signatures (that would test the signer with itself; the AWS example vector does the math): it holds
/// a signed request to the shape S3 needs (Authorization's credential scope and SignedHeaders, x-amz-date close to
/// now, x-amz-content-sha256, Host, every x-amz-* header signed) and refuses anything else with
/// SignatureDoesNotMatch naming the fault. Unsigned requests read only public buckets.
/// </summary>
internal sealed partial class FakeS3Server : IAsyncDisposable
{
    public const string AccessKeyId = "AKIDFAKES3EXAMPLE";
    public const string SecretAccessKey = "fake/secret/key/EXAMPLEKEY";
    public const string Region = "us-east-1";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<(string Bucket, string Key), string> _objects = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private FakeS3Server(WebApplication app) => _app = app;

    public int Port { get; private set; }

    public string Endpoint { get; private set; } = "";

    /// <summary>Buckets unsigned requests may read.</summary>
    public ConcurrentDictionary<string, bool> PublicBuckets { get; } = new();

    /// <summary>Buckets in a region other than <see cref="Region"/>: a request signed for another region is refused naming it.</summary>
    public ConcurrentDictionary<string, string> BucketRegions { get; } = new();

    /// <summary>When set, a signed request must carry (and sign) this x-amz-security-token.</summary>
    public string? SessionToken { get; set; }

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static async Task<FakeS3Server> StartAsync(X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        var server = new FakeS3Server(app);
        app.Run(server.AnswerAsync);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        server.Port = address.Port;
        server.Endpoint = $"{address.Scheme}://127.0.0.1:{address.Port}";
        return server;
    }

    public void Put(string bucket, string key, string file) => _objects[(bucket, key)] = file;

    private async Task AnswerAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        _requests.Enqueue(new RecordedRequest(target, headers));
        var slash = target.IndexOf('/', 1);
        var bucket = slash > 0 ? target[1..slash] : target.TrimStart('/');
        var key = slash > 0 ? Uri.UnescapeDataString(target[(slash + 1)..]) : "";
        if (!headers.TryGetValue("authorization", out var authorization))
        {
            if (!PublicBuckets.ContainsKey(bucket))
            {
                await ErrorAsync(context, 403, "AccessDenied", "Access Denied");
                return;
            }
        }
        else if (SignatureFault(authorization, headers) is { } fault)
        {
            await ErrorAsync(context, 403, "SignatureDoesNotMatch", fault);
            return;
        }
        else if (BucketRegions.TryGetValue(bucket, out var region) && !authorization.Contains($"/{region}/s3/", StringComparison.Ordinal))
        {
            context.Response.Headers["x-amz-bucket-region"] = region;
            await ErrorAsync(context, 400, "AuthorizationHeaderMalformed", $"the region is wrong; expecting '{region}'");
            return;
        }
        if (!_objects.TryGetValue((bucket, key), out var file))
        {
            await ErrorAsync(context, 404, "NoSuchKey", "The specified key does not exist.");
            return;
        }
        await context.Response.SendFileAsync(file);
    }

    /// <summary>What is wrong with the shape of a signed request, or null when S3 would go on to check the signature.</summary>
    private string? SignatureFault(string authorization, Dictionary<string, string> headers)
    {
        var match = AuthorizationShape().Match(authorization);
        if (!match.Success)
        {
            return $"Authorization '{authorization}' is not AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/s3/aws4_request,SignedHeaders=...,Signature=HEX64";
        }
        if (match.Groups["key"].Value != AccessKeyId)
        {
            return $"unknown access key {match.Groups["key"].Value}";
        }
        var signed = match.Groups["signed"].Value.Split(';');
        if (!signed.SequenceEqual(signed.Order(StringComparer.Ordinal)))
        {
            return $"SignedHeaders {match.Groups["signed"].Value} are not sorted";
        }
        if (new[] { "host", "x-amz-content-sha256", "x-amz-date" }.Except(signed).FirstOrDefault() is { } unsigned)
        {
            return $"{unsigned} is not signed";
        }
        if (signed.FirstOrDefault(h => !headers.ContainsKey(h)) is { } absent)
        {
            return $"signed header {absent} is not sent";
        }
        if (headers.Keys.FirstOrDefault(h => h.StartsWith("x-amz-", StringComparison.Ordinal) && !signed.Contains(h)) is { } unsignedAmz)
        {
            return $"{unsignedAmz} is sent but not signed";
        }
        if (headers["host"] != $"127.0.0.1:{Port}")
        {
            return $"Host {headers["host"]} is not 127.0.0.1:{Port}";
        }
        if (!DateTime.TryParseExact(headers["x-amz-date"], "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date)
            || Math.Abs((DateTime.UtcNow - date).TotalMinutes) > 15
            || !headers["x-amz-date"].StartsWith(match.Groups["date"].Value, StringComparison.Ordinal))
        {
            return $"x-amz-date {headers["x-amz-date"]} is not now, or not the credential scope's date {match.Groups["date"].Value}";
        }
        if (headers["x-amz-content-sha256"] is not ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" or "UNSIGNED-PAYLOAD"))
        {
            return $"x-amz-content-sha256 {headers["x-amz-content-sha256"]} is neither the empty body's hash nor UNSIGNED-PAYLOAD";
        }
        if (SessionToken is not null && (!headers.TryGetValue("x-amz-security-token", out var token) || token != SessionToken))
        {
            return "the temporary credentials' x-amz-security-token is missing or wrong";
        }
        return null;
    }

    private static async Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync(
            $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{System.Security.SecurityElement.Escape(message)}</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>");
    }

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=(?<key>[^/]+)/(?<date>\d{8})/(?<region>[a-z0-9-]+)/s3/aws4_request,\s*SignedHeaders=(?<signed>[a-z0-9;-]+),\s*Signature=[0-9a-f]{64}$")]
    private static partial Regex AuthorizationShape();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
