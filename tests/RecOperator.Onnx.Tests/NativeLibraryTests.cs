using RecOperator.Onnx.Native;

namespace RecOperator.Onnx.Tests;

public sealed class NativeLibraryTests
{
    [Fact]
    public void Candidates_WithFolderInEnvironment_LooksThereThenAppFolderThenSystem()
    {
        using var folder = new TempFolder();
        var candidates = OrtNativeLibrary.Candidates(folder.Path, "/app").ToList();
        candidates.Should().Equal(
            Path.Combine(folder.Path, "libonnxruntime.so.1"), Path.Combine(folder.Path, "libonnxruntime.so"),
            "/app/libonnxruntime.so.1", "/app/libonnxruntime.so", "libonnxruntime.so.1", "libonnxruntime.so");
    }

    [Fact]
    public void Candidates_WithoutEnvironment_StartsInAppFolder()
    {
        OrtNativeLibrary.Candidates(null, "/app").First().Should().Be("/app/libonnxruntime.so.1");
    }

    [Fact]
    public void Create_LibraryMissingEverywhere_ErrorNamesInstallCommandAndPlaces()
    {
        using var folder = new TempFolder();
        // Bare names would find the copy this test process already loaded, so only paths are tried here.
        var act = () => OrtNativeLibrary.LoadFirst(OrtNativeLibrary.Candidates(folder.File("nope.so"), folder.Path).Where(Path.IsPathRooted));
        act.Should().Throw<OrtLibraryNotFoundException>()
            .Which.Message.Should().Contain("bash scripts/setup-onnxruntime.sh").And.Contain(folder.File("nope.so")).And.Contain("ORT_LIBRARY_PATH");
    }

    [Fact]
    public void Engine_LoadedFromAppFolder_IsVersion130AndReadsFarTableEntries()
    {
        var engine = OrtEngine.Create();
        engine.Description.Should().Be("ONNX Runtime 1.30.0");
        // Index 254 (GetBuildInfoString) and 303/312 (GetEpDevices, EpDevice_EpName) prove the table count.
        engine.BuildInfo.Should().StartWith("ORT Build Info");
        engine.ProviderDevices.Should().Contain("CPUExecutionProvider");
        engine.BuiltInProviders.Should().Contain("CPUExecutionProvider");
    }
}
