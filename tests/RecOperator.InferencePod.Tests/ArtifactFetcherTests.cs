using RecOperator.InferencePod.Artifacts;

namespace RecOperator.InferencePod.Tests;

public sealed class ArtifactFetcherTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("recpod-fetch-");

    private string Cache => Path.Combine(_folder.FullName, "cache");

    [Fact]
    public async Task FetchAsync_CachedFileCorrupted_DownloadsItAgain()
    {
        var (source, sha256) = await ArtifactAsync("v1", 1);
        await using var server = new ArtifactHttpServer(_ => source);
        using var http = new HttpClient();
        var fetcher = new ArtifactFetcher(http, Cache);
        var uri = $"http://127.0.0.1:{server.Port}/models/m.onnx";
        var cached = await fetcher.FetchAsync(uri, sha256, CancellationToken.None);
        // A torn or corrupted cache file (a full disk, a killed node) must not block every later start-up.
        await File.WriteAllBytesAsync(cached, [1, 2, 3]);

        var again = await fetcher.FetchAsync(uri, sha256, CancellationToken.None);

        (await ArtifactFetcher.HashAsync(again, CancellationToken.None)).Should().Be(sha256);
        server.Requested.Should().HaveCount(2);
    }

    [Fact]
    public async Task FetchAsync_NewArtifactUnderSameUri_DownloadsTheOneItsSha256Names()
    {
        var (first, firstSha) = await ArtifactAsync("v1", 1);
        var (second, secondSha) = await ArtifactAsync("v2", 2);
        var serving = first;
        await using var server = new ArtifactHttpServer(_ => serving);
        using var http = new HttpClient();
        var fetcher = new ArtifactFetcher(http, Cache);
        var uri = $"http://127.0.0.1:{server.Port}/models/latest.onnx";
        await fetcher.FetchAsync(uri, firstSha, CancellationToken.None);
        serving = second;

        var fetched = await fetcher.FetchAsync(uri, secondSha, CancellationToken.None);

        (await ArtifactFetcher.HashAsync(fetched, CancellationToken.None)).Should().Be(secondSha);
        ArtifactFetcher.CacheFileName(uri, firstSha).Should().NotBe(ArtifactFetcher.CacheFileName(uri, secondSha));
    }

    [Fact]
    public async Task FetchAsync_DownloadWithWrongSha256_RefusesAndCachesNothing()
    {
        var (source, _) = await ArtifactAsync("v1", 1);
        await using var server = new ArtifactHttpServer(_ => source);
        using var http = new HttpClient();
        var fetcher = new ArtifactFetcher(http, Cache);

        var fetch = () => fetcher.FetchAsync($"http://127.0.0.1:{server.Port}/m.onnx", new string('0', 64), CancellationToken.None);

        (await fetch.Should().ThrowAsync<ArtifactException>()).Which.Message.Should().Contain("--sha256 (RECPOD_SHA256) expects");
        Directory.EnumerateFiles(Cache).Should().BeEmpty();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FetchAsync_HttpsServerTrustedThroughArtifactCa_Downloads(bool selfSigned)
    {
        var (source, sha256) = await ArtifactAsync("v1", 1);
        var (trusted, certificate) = TestCertificates.Create(selfSigned);
        await using var server = await HttpsArtifactServer.StartAsync(source, certificate);
        using var http = ArtifactHttpClient.Create(TestCertificates.WritePem(trusted), TimeSpan.FromSeconds(30));

        var fetched = await new ArtifactFetcher(http, Cache).FetchAsync($"https://127.0.0.1:{server.Port}/m.onnx", sha256, CancellationToken.None);

        (await ArtifactFetcher.HashAsync(fetched, CancellationToken.None)).Should().Be(sha256);
    }

    [Fact]
    public async Task FetchAsync_HttpsServerOfUnknownCa_RefusesNamingArtifactCa()
    {
        var (source, sha256) = await ArtifactAsync("v1", 1);
        var (_, certificate) = TestCertificates.Create(selfSigned: false);
        var (otherAuthority, _) = TestCertificates.Create(selfSigned: false);
        await using var server = await HttpsArtifactServer.StartAsync(source, certificate);
        var uri = $"https://127.0.0.1:{server.Port}/m.onnx";
        using var system = ArtifactHttpClient.Create("", TimeSpan.FromSeconds(30));
        using var other = ArtifactHttpClient.Create(TestCertificates.WritePem(otherAuthority), TimeSpan.FromSeconds(30));

        foreach (var http in new[] { system, other })
        {
            var fetch = () => new ArtifactFetcher(http, Cache).FetchAsync(uri, sha256, CancellationToken.None);
            (await fetch.Should().ThrowAsync<ArtifactException>()).Which.Message.Should().Contain("not trusted").And.Contain("--artifact-ca (RECPOD_ARTIFACT_CA)");
        }
    }

    [Fact]
    public void Create_CaFileWithoutCertificates_ThrowsNamingTheSetting()
    {
        var path = Path.Combine(_folder.FullName, "empty.pem");
        File.WriteAllText(path, "no certificate here");

        var create = () => ArtifactHttpClient.Create(path, TimeSpan.FromSeconds(1));

        create.Should().Throw<ArtifactException>().Which.Message.Should().Contain("--artifact-ca (RECPOD_ARTIFACT_CA)").And.Contain(path);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private Task<(string Path, string Sha256)> ArtifactAsync(string name, int seed) => TestArtifactFiles.WriteAsync(_folder.FullName, name, seed, 64 * 1024);
}
