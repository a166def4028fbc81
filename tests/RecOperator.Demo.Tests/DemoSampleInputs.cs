using RecOperator.Demo.Setup;
using RecOperator.Tests.Shared;

namespace RecOperator.Demo.Tests;

/// <summary>
/// What the demo's manifests are built from in tests: the repository's sample folder and two artifacts that are
/// never loaded (the manifests only carry their paths and hashes).
/// </summary>
internal static class DemoSampleInputs
{
    public static readonly string Samples = RepoPaths.Combine("manifests", "samples");
    public static readonly DemoArtifact Fp32 = new("/tmp/m/fp32/user-candidate.onnx", new string('a', 64), "fp32");
    public static readonly DemoArtifact Int8 = new("/tmp/m/int8/user-candidate.int8.onnx", new string('b', 64), "int8");
}
