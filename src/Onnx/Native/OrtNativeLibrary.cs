using System.Runtime.InteropServices;

namespace RecOperator.Onnx.Native;

/// <summary>
/// Finds and loads ONNX Runtime's shared library, in this order: the ORT_LIBRARY_PATH environment variable (a file or
/// a folder), the application folder, then the system's library search path.
/// </summary>
internal static class OrtNativeLibrary
{
    public const string EnvironmentVariable = "ORT_LIBRARY_PATH";
    public const string InstallCommand = "bash scripts/setup-onnxruntime.sh";
    private static readonly string[] FileNames = ["libonnxruntime.so.1", "libonnxruntime.so"];

    /// <summary>Loads the library; throws <see cref="OrtLibraryNotFoundException"/> naming every place it looked.</summary>
    public static (nint Handle, string Path) Load(string? explicitPath, string appFolder) => LoadFirst(Candidates(explicitPath, appFolder));

    /// <summary>
    /// Loads the first candidate that loads and returns it with the candidate's path (a bare file name when the
    /// dynamic loader's search found it); the error lists them all and the install command.
    /// </summary>
    public static (nint Handle, string Path) LoadFirst(IEnumerable<string> candidates)
    {
        var tried = new List<string>();
        foreach (var candidate in candidates)
        {
            tried.Add(candidate);
            if (NativeLibrary.TryLoad(candidate, out var handle))
            {
                return (handle, candidate);
            }
        }
        throw new OrtLibraryNotFoundException(
            $"ONNX Runtime's native library was not found (looked in: {string.Join(", ", tried)}). " +
            $"Install it with `{InstallCommand}`, or set {EnvironmentVariable} to the library file or its folder.");
    }

    /// <summary>The load order as a pure function, so it is testable without touching the file system.</summary>
    public static IEnumerable<string> Candidates(string? explicitPath, string appFolder)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            if (Directory.Exists(explicitPath))
            {
                foreach (var name in FileNames)
                {
                    yield return Path.Combine(explicitPath, name);
                }
            }
            else
            {
                yield return explicitPath;
            }
        }
        foreach (var name in FileNames)
        {
            yield return Path.Combine(appFolder, name);
        }
        // Bare names go through the dynamic loader's own search (LD_LIBRARY_PATH, ld.so.cache, /usr/lib ...).
        foreach (var name in FileNames)
        {
            yield return name;
        }
    }
}
