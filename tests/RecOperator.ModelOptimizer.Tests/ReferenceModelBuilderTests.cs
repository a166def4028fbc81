using System.Security.Cryptography;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;

namespace RecOperator.ModelOptimizer.Tests;

public sealed class ReferenceModelBuilderTests
{
    [Fact]
    public async Task BuildAsync_UserCandidate_WritesLoadableModelWithItsHashAndCheckedScores()
    {
        using var folder = new TempFolder();
        var model = ReferenceModelCatalog.Create("user-candidate", seed: 9, rows: 50);

        var built = await ReferenceModelBuilder.BuildAsync(model, folder.Path, OrtEngine.Create(), CancellationToken.None);

        built.Path.Should().Be(folder.File("user-candidate.onnx"));
        built.Sha256.Should().Be(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(built.Path))));
        built.Bytes.Should().Be(new FileInfo(built.Path).Length);
        built.Inputs.Should().Be(4);
        built.MaxAbsDifference.Should().BeLessThanOrEqualTo(1e-5f);
        OnnxModelFiles.Read(built.Path).Graph.Name.Should().Be("user-candidate");
    }

    [Fact]
    public void Create_ZeroRows_RejectedWithTheParameterName()
    {
        var act = () => ReferenceModelCatalog.Create("dlrm-small", rows: 0);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("rows");
    }
}
