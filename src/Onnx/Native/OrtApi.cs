using System.Runtime.InteropServices;

namespace RecOperator.Onnx.Native;

/// <summary>
/// ONNX Runtime's C API reached through the <c>OrtApi</c> function table that <c>OrtGetApiBase()->GetApi(v)</c>
/// returns. Every call goes through an unmanaged function pointer read from the table: no marshalling stubs, no
/// per-call allocation. Each <c>OrtStatus*</c> result becomes an <see cref="OrtException"/> through <see cref="Check"/>.
/// </summary>
internal sealed unsafe partial class OrtApi
{
    /// <summary>ORT_API_VERSION of ONNX Runtime 1.30, the CPU library the set-up script installs.</summary>
    public const uint PreferredApiVersion = 30;

    /// <summary>
    /// The oldest table this binding accepts: ONNX Runtime 1.29, the core that loads the CUDA plugin provider from npm
    /// (docs GPU.md). Every index the binding calls (the highest is EpDevice_EpName, 312) is in that table; the table
    /// is append-only, so a newer version's table has them at the same places.
    /// </summary>
    public const uint MinimumApiVersion = 29;

    private static readonly Lazy<OrtApi> Shared = new(() => Create(
        Environment.GetEnvironmentVariable(OrtNativeLibrary.EnvironmentVariable), AppContext.BaseDirectory));

    private readonly nint* _table;

    private OrtApi(nint* table, string version, uint apiVersion, string libraryPath)
    {
        _table = table;
        Version = version;
        ApiVersion = apiVersion;
        LibraryPath = libraryPath;
    }

    /// <summary>The process-wide API, loaded on first use.</summary>
    public static OrtApi Instance => Shared.Value;

    /// <summary>The loaded library's version string, e.g. "1.30.0".</summary>
    public string Version { get; }

    /// <summary>The C API version of the table in use: the preferred one, or an older one the library offered.</summary>
    public uint ApiVersion { get; }

    /// <summary>Where the library was loaded from: a full path, or a bare file name the dynamic loader resolved.</summary>
    public string LibraryPath { get; }

    public static OrtApi Create(string? explicitPath, string appFolder)
    {
        var (library, libraryPath) = OrtNativeLibrary.Load(explicitPath, appFolder);
        if (!NativeLibrary.TryGetExport(library, "OrtGetApiBase", out var entry))
        {
            throw new OrtLibraryNotFoundException(
                $"the library found for ONNX Runtime exports no OrtGetApiBase, so it is not ONNX Runtime; install it with `{OrtNativeLibrary.InstallCommand}`.");
        }
        var getApiBase = (delegate* unmanaged<nint*>)entry;
        var apiBase = getApiBase();
        var getApi = (delegate* unmanaged<uint, nint*>)apiBase[0];
        var getVersion = (delegate* unmanaged<byte*>)apiBase[1];
        var version = Marshal.PtrToStringUTF8((nint)getVersion()) ?? "unknown";
        for (var apiVersion = PreferredApiVersion; apiVersion >= MinimumApiVersion; apiVersion--)
        {
            // GetApi answers null (and prints a line to stderr) for a version newer than the library.
            var table = getApi(apiVersion);
            if (table is not null)
            {
                return new OrtApi(table, version, apiVersion, libraryPath);
            }
        }
        throw new OrtLibraryNotFoundException(
            $"the loaded ONNX Runtime {version} ({libraryPath}) offers none of C API versions {MinimumApiVersion} to {PreferredApiVersion}; " +
            $"this binding needs ONNX Runtime 1.29 or newer (install it with `{OrtNativeLibrary.InstallCommand}`).");
    }

    private nint Fn(int index) => _table[index];

    /// <summary>Throws when <paramref name="status"/> is an error, after releasing it.</summary>
    public void Check(nint status, string? context = null)
    {
        if (status == 0)
        {
            return;
        }
        var code = ((delegate* unmanaged<nint, int>)Fn(OrtApiIndex.GetErrorCode))(status);
        var message = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint, nint>)Fn(OrtApiIndex.GetErrorMessage))(status)) ?? "";
        ((delegate* unmanaged<nint, void>)Fn(OrtApiIndex.ReleaseStatus))(status);
        throw new OrtException((OrtErrorCode)code, message, context);
    }

    public string BuildInfo() =>
        Marshal.PtrToStringUTF8(((delegate* unmanaged<nint>)Fn(OrtApiIndex.GetBuildInfoString))()) ?? "";

    public nint CreateEnv(int loggingLevel, string logId)
    {
        nint env;
        var id = Utf8(logId);
        fixed (byte* p = id)
        {
            Check(((delegate* unmanaged<int, byte*, nint*, nint>)Fn(OrtApiIndex.CreateEnv))(loggingLevel, p, &env));
        }
        return env;
    }

    public void Release(int releaseIndex, nint handle) => ((delegate* unmanaged<nint, void>)Fn(releaseIndex))(handle);

    public nint CreateCpuMemoryInfo()
    {
        nint info;
        // OrtArenaAllocator = 1, OrtMemTypeDefault = 0: describes plain host memory owned by the caller.
        Check(((delegate* unmanaged<int, int, nint*, nint>)Fn(OrtApiIndex.CreateCpuMemoryInfo))(1, 0, &info));
        return info;
    }

    public nint DefaultAllocator()
    {
        nint allocator;
        Check(((delegate* unmanaged<nint*, nint>)Fn(OrtApiIndex.GetAllocatorWithDefaultOptions))(&allocator));
        return allocator;
    }

    /// <summary>Copies a string ORT allocated with <paramref name="allocator"/>, then frees it.</summary>
    public string TakeAllocatedString(nint allocator, nint text)
    {
        var value = Marshal.PtrToStringUTF8(text) ?? "";
        Check(((delegate* unmanaged<nint, nint, nint>)Fn(OrtApiIndex.AllocatorFree))(allocator, text));
        return value;
    }

    public IReadOnlyList<string> AvailableProviders()
    {
        nint* names;
        int count;
        Check(((delegate* unmanaged<nint**, int*, nint>)Fn(OrtApiIndex.GetAvailableProviders))(&names, &count));
        var result = new string[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = Marshal.PtrToStringUTF8(names[i]) ?? "";
        }
        Check(((delegate* unmanaged<nint*, int, nint>)Fn(OrtApiIndex.ReleaseAvailableProviders))(names, count));
        return result;
    }

    /// <summary>NUL-terminated UTF-8, as every <c>const char*</c> of the C API expects.</summary>
    public static byte[] Utf8(string text)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(text) + 1];
        System.Text.Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
