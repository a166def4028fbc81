using RecOperator.InferencePod.Artifacts;

namespace RecOperator.InferencePod.Tests;

/// <summary>s3:// artifacts through the fetcher, against <see cref="FakeS3Server"/>: signed and unsigned GETs, the cache, sha256 and S3's errors.</summary>
public sealed class S3ArtifactTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("recpod-s3-");

    private string Cache => Path.Combine(_folder.FullName, "cache");

    private static S3Settings Credentials(FakeS3Server server) => new()
    {
        AccessKeyId = FakeS3Server.AccessKeyId,
        SecretAccessKey = FakeS3Server.SecretAccessKey,
        Region = FakeS3Server.Region,
        Endpoint = server.Endpoint,
    };

    [Fact]
    public async Task FetchAsync_S3WithCredentials_DownloadsOnceIntoCacheWithASignedPathStyleGet()
    {
        var (file, sha256) = await ArtifactAsync("m", 1);
        await using var server = await FakeS3Server.StartAsync();
        server.Put("models", "ranking/v3/model.onnx", file);
        using var http = new HttpClient();
        var fetcher = Fetcher(http, Credentials(server));

        var first = await fetcher.FetchAsync("s3://models/ranking/v3/model.onnx", sha256, CancellationToken.None);
        var second = await fetcher.FetchAsync("s3://models/ranking/v3/model.onnx", sha256, CancellationToken.None);

        first.Should().StartWith(Cache).And.Be(second);
        (await ArtifactFetcher.HashAsync(first, CancellationToken.None)).Should().Be(sha256);
        var request = server.Requests.Should().ContainSingle("the second fetch is served from the cache").Subject;
        request.Target.Should().Be("/models/ranking/v3/model.onnx");
        request.Header("authorization").Should().StartWith($"AWS4-HMAC-SHA256 Credential={FakeS3Server.AccessKeyId}/")
            .And.Contain("/us-east-1/s3/aws4_request,SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature=");
        request.Header("x-amz-content-sha256").Should().Be(SigV4.EmptyPayloadHash);
        request.Header("host").Should().Be($"127.0.0.1:{server.Port}");
        request.Header("x-amz-security-token").Should().BeNull();
    }

    [Fact]
    public async Task FetchAsync_S3SessionToken_SendsAndSignsTheSecurityToken()
    {
        var (file, sha256) = await ArtifactAsync("m", 2);
        await using var server = await FakeS3Server.StartAsync();
        server.SessionToken = "FQoGZXIvYXdzEXAMPLEsessiontoken//+=";
        server.Put("models", "m.onnx", file);
        using var http = new HttpClient();

        await Fetcher(http, Credentials(server) with { SessionToken = server.SessionToken }).FetchAsync("s3://models/m.onnx", sha256, CancellationToken.None);

        var request = server.Requests.Single();
        request.Header("x-amz-security-token").Should().Be(server.SessionToken);
        request.Header("authorization").Should().Contain("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,");
    }

    [Fact]
    public async Task FetchAsync_S3WithoutCredentials_SendsAnUnsignedGetThatAPublicBucketAnswers()
    {
        var (file, sha256) = await ArtifactAsync("m", 3);
        await using var server = await FakeS3Server.StartAsync();
        server.PublicBuckets["public-models"] = true;
        server.Put("public-models", "m.onnx", file);
        using var http = new HttpClient();

        var fetched = await Fetcher(http, new S3Settings { Endpoint = server.Endpoint }).FetchAsync("s3://public-models/m.onnx", sha256, CancellationToken.None);

        (await ArtifactFetcher.HashAsync(fetched, CancellationToken.None)).Should().Be(sha256);
        server.Requests.Single().Headers.Keys.Should().NotContain(["authorization", "x-amz-date", "x-amz-security-token"]);
    }

    [Fact]
    public async Task FetchAsync_S3PrivateBucketWithoutCredentials_Throws403NamingUriCodeAndMissingKeys()
    {
        await using var server = await FakeS3Server.StartAsync();
        using var http = new HttpClient();

        var fetch = () => Fetcher(http, new S3Settings { Endpoint = server.Endpoint }).FetchAsync("s3://models/m.onnx", "", CancellationToken.None);

        (await fetch.Should().ThrowAsync<ArtifactException>()).Which.Message.Should()
            .StartWith("artifact 's3://models/m.onnx': S3 answered 403 Forbidden: AccessDenied: Access Denied")
            .And.Contain("sent unsigned: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
    }

    [Fact]
    public async Task FetchAsync_S3UnknownAccessKey_Throws403WithS3sCodeAndMessage()
    {
        await using var server = await FakeS3Server.StartAsync();
        using var http = new HttpClient();

        var fetch = () => Fetcher(http, Credentials(server) with { AccessKeyId = "AKIDSOMEONEELSE" }).FetchAsync("s3://models/m.onnx", "", CancellationToken.None);

        (await fetch.Should().ThrowAsync<ArtifactException>()).Which.Message.Should()
            .Be("artifact 's3://models/m.onnx': S3 answered 403 Forbidden: SignatureDoesNotMatch: unknown access key AKIDSOMEONEELSE " +
                "(signed with AWS_ACCESS_KEY_ID for region us-east-1)");
    }

    [Fact]
    public async Task FetchAsync_S3MissingKey_Throws404NamingUriAndNoSuchKey()
    {
        await using var server = await FakeS3Server.StartAsync();
        using var http = new HttpClient();

        var fetch = () => Fetcher(http, Credentials(server)).FetchAsync("s3://models/absent.onnx", "", CancellationToken.None);

        (await fetch.Should().ThrowAsync<ArtifactException>()).Which.Message.Should()
            .Be("artifact 's3://models/absent.onnx': S3 answered 404 Not Found: NoSuchKey: The specified key does not exist.");
        Directory.EnumerateFiles(Cache).Should().BeEmpty();
    }

    [Fact]
    public async Task FetchAsync_S3BucketInAnotherRegion_SaysWhichRegionToSet()
    {
        await using var server = await FakeS3Server.StartAsync();
        server.BucketRegions["eu-models"] = "eu-west-1";
        using var http = new HttpClient();

        var fetch = () => Fetcher(http, Credentials(server)).FetchAsync("s3://eu-models/m.onnx", "", CancellationToken.None);

        (await fetch.Should().ThrowAsync<ArtifactException>()).Which.Message.Should()
            .Contain("S3 answered 400 Bad Request: AuthorizationHeaderMalformed").And.EndWith("the bucket is in eu-west-1, not us-east-1: set AWS_REGION=eu-west-1");
    }

    [Fact]
    public async Task FetchAsync_S3ObjectWithWrongSha256_RefusesAndCachesNothing()
    {
        var (file, _) = await ArtifactAsync("m", 4);
        await using var server = await FakeS3Server.StartAsync();
        server.Put("models", "m.onnx", file);
        using var http = new HttpClient();

        var fetch = () => Fetcher(http, Credentials(server)).FetchAsync("s3://models/m.onnx", new string('0', 64), CancellationToken.None);

        (await fetch.Should().ThrowAsync<ArtifactException>()).Which.Message.Should()
            .StartWith("artifact 's3://models/m.onnx' has sha256").And.Contain("--sha256 (RECPOD_SHA256) expects 0000");
        Directory.EnumerateFiles(Cache).Should().BeEmpty();
    }

    [Fact]
    public async Task FetchAsync_S3KeyWithSpacesPlusAndNonAscii_SendsThePathEncodedOnceAsItWasSigned()
    {
        var (file, sha256) = await ArtifactAsync("m", 5);
        await using var server = await FakeS3Server.StartAsync();
        const string key = "ranking v2/int8+fp16 modèle/../model~1.onnx";
        server.Put("models", key, file);
        using var http = new HttpClient();

        var fetched = await Fetcher(http, Credentials(server)).FetchAsync($"s3://models/{key}", sha256, CancellationToken.None);

        (await ArtifactFetcher.HashAsync(fetched, CancellationToken.None)).Should().Be(sha256);
        server.Requests.Single().Target.Should().Be("/models/ranking%20v2/int8%2Bfp16%20mod%C3%A8le/../model~1.onnx");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FetchAsync_S3EndpointOverHttpsWithPrivateCa_DownloadsOnlyWithArtifactCa(bool withCa)
    {
        var (file, sha256) = await ArtifactAsync("m", 6);
        var (trusted, certificate) = TestCertificates.Create(selfSigned: false);
        await using var server = await FakeS3Server.StartAsync(certificate);
        server.Put("models", "m.onnx", file);
        using var http = ArtifactHttpClient.Create(withCa ? TestCertificates.WritePem(trusted) : "", TimeSpan.FromSeconds(30));

        var fetch = () => Fetcher(http, Credentials(server)).FetchAsync("s3://models/m.onnx", sha256, CancellationToken.None);

        if (withCa)
        {
            (await ArtifactFetcher.HashAsync(await fetch(), CancellationToken.None)).Should().Be(sha256);
        }
        else
        {
            (await fetch.Should().ThrowAsync<ArtifactException>()).Which.Message.Should().Contain("not trusted").And.Contain("--artifact-ca (RECPOD_ARTIFACT_CA)");
        }
    }

    [Fact]
    public async Task FetchCompanionAsync_S3Artifact_FetchesTheObjectOfThatNameUnderTheSamePrefix()
    {
        var (candidate, candidateSha) = await ArtifactAsync("candidate", 7);
        var (user, userSha) = await ArtifactAsync("user", 8);
        await using var server = await FakeS3Server.StartAsync();
        server.Put("models", "ranking/v3/m.candidate.onnx", candidate);
        server.Put("models", "ranking/v3/m.user.onnx", user);
        using var http = new HttpClient();
        var fetcher = Fetcher(http, Credentials(server));
        var local = await fetcher.FetchAsync("s3://models/ranking/v3/m.candidate.onnx", candidateSha, CancellationToken.None);

        var companion = await fetcher.FetchCompanionAsync("s3://models/ranking/v3/m.candidate.onnx", local, "m.user.onnx", userSha, CancellationToken.None);

        (await ArtifactFetcher.HashAsync(companion, CancellationToken.None)).Should().Be(userSha);
        companion.Should().StartWith(Cache);
        server.Requests.Select(r => r.Target).Should().Equal("/models/ranking/v3/m.candidate.onnx", "/models/ranking/v3/m.user.onnx");
    }

    [Fact]
    public async Task FetchAsync_S3KeySetWithoutSecret_ThrowsNamingBothVariables()
    {
        using var http = new HttpClient();

        var fetch = () => Fetcher(http, new S3Settings { AccessKeyId = "AKID" }).FetchAsync("s3://models/m.onnx", "", CancellationToken.None);

        (await fetch.Should().ThrowAsync<ArtifactException>()).Which.Message.Should()
            .Be("artifact 's3://models/m.onnx': AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; set both, or neither for a public bucket");
    }

    [Theory]
    [InlineData("s3://models")]
    [InlineData("s3://models/")]
    [InlineData("s3:///m.onnx")]
    public async Task FetchAsync_S3UriWithoutBucketOrKey_ThrowsShowingTheForm(string artifact)
    {
        using var http = new HttpClient();

        var fetch = () => Fetcher(http, new S3Settings()).FetchAsync(artifact, "", CancellationToken.None);

        (await fetch.Should().ThrowAsync<ArtifactException>()).Which.Message.Should().Contain("s3://BUCKET/KEY");
    }

    [Theory]
    [InlineData("models", "us-east-1", "https://models.s3.us-east-1.amazonaws.com", "models.s3.us-east-1.amazonaws.com", "/a%20b/m.onnx")]
    [InlineData("models", "eu-central-1", "https://models.s3.eu-central-1.amazonaws.com", "models.s3.eu-central-1.amazonaws.com", "/a%20b/m.onnx")]
    [InlineData("models.example.com", "eu-central-1", "https://s3.eu-central-1.amazonaws.com", "s3.eu-central-1.amazonaws.com", "/models.example.com/a%20b/m.onnx")]
    public void Address_AwsEndpoint_VirtualHostedUnlessTheBucketHasDots(string bucket, string region, string origin, string host, string path)
    {
        S3ArtifactStore.Address(new S3Settings { Region = region }, new ObjectLocation("s3", bucket, "a b/m.onnx")).Should().Be((origin, host, path));
    }

    [Theory]
    [InlineData("http://minio.storage:9000", "http://minio.storage:9000", "minio.storage:9000", "/models/m.onnx")]
    [InlineData("https://ceph.example.com/", "https://ceph.example.com", "ceph.example.com", "/models/m.onnx")]
    [InlineData("https://gateway.example.com/s3/", "https://gateway.example.com", "gateway.example.com", "/s3/models/m.onnx")]
    public void Address_ConfiguredEndpoint_PathStyle(string endpoint, string origin, string host, string path)
    {
        S3ArtifactStore.Address(new S3Settings { Endpoint = endpoint }, new ObjectLocation("s3", "models", "m.onnx")).Should().Be((origin, host, path));
    }

    [Fact]
    public void FromEnvironment_StandardVariables_RegionAndEndpointInTheSdksOrderEmptyAsUnset()
    {
        var variables = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "AKID",
            ["AWS_SECRET_ACCESS_KEY"] = "secret",
            ["AWS_SESSION_TOKEN"] = "",
            ["AWS_DEFAULT_REGION"] = "eu-west-1",
            ["AWS_ENDPOINT_URL"] = "http://global:9000",
            ["AWS_ENDPOINT_URL_S3"] = "http://s3-only:9000",
        };

        var settings = S3Settings.FromEnvironment(variables.GetValueOrDefault);

        settings.Should().BeEquivalentTo(new S3Settings
        {
            AccessKeyId = "AKID", SecretAccessKey = "secret", SessionToken = null, Region = "eu-west-1", Endpoint = "http://s3-only:9000",
        });
        S3Settings.FromEnvironment(new Dictionary<string, string> { ["AWS_REGION"] = "ap-south-1", ["AWS_DEFAULT_REGION"] = "eu-west-1" }.GetValueOrDefault)
            .Region.Should().Be("ap-south-1");
        S3Settings.FromEnvironment(_ => null).Should().BeEquivalentTo(new S3Settings { Region = "us-east-1" });
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private ArtifactFetcher Fetcher(HttpClient http, S3Settings s3) => new(http, Cache, new ObjectStoreSettings(s3, new GcsSettings()));

    private Task<(string Path, string Sha256)> ArtifactAsync(string name, int seed) => TestArtifactFiles.WriteAsync(_folder.FullName, name, seed);
}
