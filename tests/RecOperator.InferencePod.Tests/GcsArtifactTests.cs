using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RecOperator.InferencePod.Artifacts;

namespace RecOperator.InferencePod.Tests;

/// <summary>gs:// artifacts through the fetcher, against <see cref="FakeGcsServer"/>: the bearer token's sources, anonymous fallback and GCS's errors.</summary>
public sealed class GcsArtifactTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("recpod-gcs-");

    private string Cache => Path.Combine(_folder.FullName, "cache");

    [Fact]
    public async Task FetchAsync_GcsTokenFromTheMetadataServer_AsksWithMetadataFlavorAndSendsItAsBearer()
    {
        var (file, sha256) = await ArtifactAsync("m", 1);
        await using var server = await FakeGcsServer.StartAsync();
        server.Put("models", "ranking/v3/model.onnx", file);
        using var http = new HttpClient();
        var fetcher = Fetcher(http, Emulated(server));

        var first = await fetcher.FetchAsync("gs://models/ranking/v3/model.onnx", sha256, CancellationToken.None);
        var second = await fetcher.FetchAsync("gs://models/ranking/v3/model.onnx", sha256, CancellationToken.None);

        first.Should().StartWith(Cache).And.Be(second);
        (await ArtifactFetcher.HashAsync(first, CancellationToken.None)).Should().Be(sha256);
        server.MetadataRequests.Should().ContainSingle().Which.Header("metadata-flavor").Should().Be("Google");
        var download = server.ObjectRequests.Should().ContainSingle("the second fetch is served from the cache").Subject;
        download.Target.Should().Be("/storage/v1/b/models/o/ranking%2Fv3%2Fmodel.onnx?alt=media");
        download.Header("authorization").Should().Be($"Bearer {server.AcceptedToken}");
    }

    [Fact]
    public async Task FetchAsync_GcsOAuthTokenVariable_SendsItWithoutAskingTheMetadataServer()
    {
        var (file, sha256) = await ArtifactAsync("m", 2);
        await using var server = await FakeGcsServer.StartAsync();
        server.AcceptedToken = "ya29.from-the-variable";
        server.Put("models", "m.onnx", file);
        using var http = new HttpClient();

        await Fetcher(http, Emulated(server) with { AccessToken = "ya29.from-the-variable" }).FetchAsync("gs://models/m.onnx", sha256, CancellationToken.None);

        server.MetadataRequests.Should().BeEmpty();
        server.ObjectRequests.Single().Header("authorization").Should().Be("Bearer ya29.from-the-variable");
    }

    [Fact]
    public async Task FetchAsync_GcsMetadataServerNotThere_FallsBackToAnonymousForAPublicObject()
    {
        var (file, sha256) = await ArtifactAsync("m", 3);
        await using var server = await FakeGcsServer.StartAsync();
        server.PublicBuckets["public-models"] = true;
        server.Put("public-models", "m.onnx", file);
        using var http = new HttpClient();
        var settings = Emulated(server) with { MetadataHost = $"127.0.0.1:{ClosedPort()}" };

        var fetched = await Fetcher(http, settings).FetchAsync("gs://public-models/m.onnx", sha256, CancellationToken.None);

        (await ArtifactFetcher.HashAsync(fetched, CancellationToken.None)).Should().Be(sha256);
        server.ObjectRequests.Single().Header("authorization").Should().BeNull();
    }

    [Fact]
    public async Task FetchAsync_GcsMetadataServerSilent_GivesUpAfterItsShortTimeoutAndGoesAnonymous()
    {
        var (file, sha256) = await ArtifactAsync("m", 4);
        await using var server = await FakeGcsServer.StartAsync();
        server.PublicBuckets["public-models"] = true;
        server.Put("public-models", "m.onnx", file);
        // Accepts connections and never answers, as a black-holed metadata address behaves.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        using var http = new HttpClient();
        var settings = Emulated(server) with { MetadataHost = $"127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}", MetadataTimeout = TimeSpan.FromMilliseconds(300) };
        var clock = Stopwatch.StartNew();

        var fetched = await Fetcher(http, settings).FetchAsync("gs://public-models/m.onnx", sha256, CancellationToken.None);

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        (await ArtifactFetcher.HashAsync(fetched, CancellationToken.None)).Should().Be(sha256);
        server.ObjectRequests.Single().Header("authorization").Should().BeNull();
    }

    [Fact]
    public async Task FetchAsync_GcsPrivateObjectWithoutAnyToken_Throws401SayingWhyNoTokenWasSent()
    {
        await using var server = await FakeGcsServer.StartAsync();
        server.AcceptedToken = null;
        using var http = new HttpClient();

        var fetch = () => Fetcher(http, Emulated(server)).FetchAsync("gs://models/m.onnx", "", CancellationToken.None);

        (await fetch.Should().ThrowAsync<ArtifactException>()).Which.Message.Should()
            .StartWith("artifact 'gs://models/m.onnx': GCS answered 401 Unauthorized: Anonymous caller does not have storage.objects.get access")
            .And.Contain($"sent without a token: GOOGLE_OAUTH_ACCESS_TOKEN is not set and the metadata server at {server.Host} answered 404 Not Found");
    }

    [Fact]
    public async Task FetchAsync_GcsTokenRefused_Throws403NamingTheTokensSource()
    {
        await using var server = await FakeGcsServer.StartAsync();
        using var http = new HttpClient();

        var fetch = () => Fetcher(http, Emulated(server) with { AccessToken = "ya29.expired" }).FetchAsync("gs://models/m.onnx", "", CancellationToken.None);

        (await fetch.Should().ThrowAsync<ArtifactException>()).Which.Message.Should()
            .Be("artifact 'gs://models/m.onnx': GCS answered 403 Forbidden: Caller does not have storage.objects.get access to the Google Cloud Storage object. " +
                "(bearer token from GOOGLE_OAUTH_ACCESS_TOKEN)");
    }

    [Fact]
    public async Task FetchAsync_GcsMissingObject_Throws404WithGcsMessage()
    {
        await using var server = await FakeGcsServer.StartAsync();
        using var http = new HttpClient();

        var fetch = () => Fetcher(http, Emulated(server)).FetchAsync("gs://models/ranking/absent.onnx", "", CancellationToken.None);

        (await fetch.Should().ThrowAsync<ArtifactException>()).Which.Message.Should()
            .Be("artifact 'gs://models/ranking/absent.onnx': GCS answered 404 Not Found: No such object: models/ranking/absent.onnx");
        Directory.EnumerateFiles(Cache).Should().BeEmpty();
    }

    [Fact]
    public async Task FetchCompanionAsync_GcsArtifact_FetchesTheObjectOfThatNameUnderTheSamePrefix()
    {
        var (candidate, candidateSha) = await ArtifactAsync("candidate", 5);
        var (user, userSha) = await ArtifactAsync("user", 6);
        await using var server = await FakeGcsServer.StartAsync();
        server.Put("models", "ranking/m.candidate.onnx", candidate);
        server.Put("models", "ranking/m.user.onnx", user);
        using var http = new HttpClient();
        var fetcher = Fetcher(http, Emulated(server));
        var local = await fetcher.FetchAsync("gs://models/ranking/m.candidate.onnx", candidateSha, CancellationToken.None);

        var companion = await fetcher.FetchCompanionAsync("gs://models/ranking/m.candidate.onnx", local, "m.user.onnx", userSha, CancellationToken.None);

        (await ArtifactFetcher.HashAsync(companion, CancellationToken.None)).Should().Be(userSha);
        server.ObjectRequests.Select(r => r.Target).Should().Equal(
            "/storage/v1/b/models/o/ranking%2Fm.candidate.onnx?alt=media", "/storage/v1/b/models/o/ranking%2Fm.user.onnx?alt=media");
    }

    [Theory]
    [InlineData(null, "https://storage.googleapis.com")]
    [InlineData("localhost:4443", "http://localhost:4443")]
    [InlineData("https://gcs.internal:8443/", "https://gcs.internal:8443")]
    public void FromEnvironment_EmulatorHost_ReplacesSchemeAndHost(string? emulator, string apiBase)
    {
        var variables = new Dictionary<string, string?> { ["STORAGE_EMULATOR_HOST"] = emulator, ["GCE_METADATA_HOST"] = "169.254.169.254" };

        var settings = GcsSettings.FromEnvironment(variables.GetValueOrDefault);

        settings.ApiBase.Should().Be(apiBase);
        settings.MetadataHost.Should().Be("169.254.169.254");
        GcsArtifactStore.ObjectUrl(settings, new ObjectLocation("gs", "b", "a b/ü+c.onnx")).OriginalString
            .Should().Be($"{apiBase}/storage/v1/b/b/o/a%20b%2F%C3%BC%2Bc.onnx?alt=media");
    }

    [Fact]
    public void FromEnvironment_NothingSet_GooglesEndpointsAndNoToken()
    {
        GcsSettings.FromEnvironment(_ => null).Should().BeEquivalentTo(new GcsSettings
        {
            AccessToken = null, ApiBase = "https://storage.googleapis.com", MetadataHost = "metadata.google.internal",
        });
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private static GcsSettings Emulated(FakeGcsServer server) => new() { ApiBase = $"http://{server.Host}", MetadataHost = server.Host };

    private ArtifactFetcher Fetcher(HttpClient http, GcsSettings gcs) => new(http, Cache, new ObjectStoreSettings(new S3Settings(), gcs));

    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private Task<(string Path, string Sha256)> ArtifactAsync(string name, int seed) => TestArtifactFiles.WriteAsync(_folder.FullName, name, seed);
}
