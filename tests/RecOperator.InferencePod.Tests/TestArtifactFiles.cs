using System.Security.Cryptography;

namespace RecOperator.InferencePod.Tests;

/// <summary>Artifact-shaped files for the fetcher tests: seeded random bytes (not a model; the fetcher never parses) and their sha256.</summary>
internal static class TestArtifactFiles
{
    public static async Task<(string Path, string Sha256)> WriteAsync(string folder, string name, int seed, int bytes = 32 * 1024)
    {
        var content = new byte[bytes];
        new Random(seed).NextBytes(content);
        var path = Path.Combine(folder, name + ".onnx");
        await File.WriteAllBytesAsync(path, content);
        return (path, Convert.ToHexStringLower(SHA256.HashData(content)));
    }
}
