using System.Text.Json;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;

namespace RecOperator.ModelOptimizer.Tests;

/// <summary>`optimize quantize --mode int8-static --calibration-data FILE`: calibration on logged requests.</summary>
public sealed class CalibrationDataCliTests
{
    [Fact]
    public async Task Quantize_Int8StaticWithCalibrationData_ActivationRangeComesFromTheFile()
    {
        using var folder = new TempFolder();
        // Dense features four times wider than the synthetic generator's [-1, 1): only the file can give this range.
        var (lines, dense) = DlrmRequests(requests: 3, candidates: 12, denseScale: 4f);
        await File.WriteAllLinesAsync(folder.File("calib.jsonl"), lines);

        var (exitCode, output, error) = await CliRunner.RunAsync("optimize", "quantize", "--mode", "int8-static", "--calibration-data", folder.File("calib.jsonl"),
            "--in", await ModelFixtures.PathAsync("dlrm-small"), "--out", folder.File("out"), "--fidelity-requests", "2", "--fidelity-candidates", "16");

        exitCode.Should().Be(0, error);
        output.Should().Contain("calibrationData: 3 requests from calib.jsonl (36 candidates)");
        var model = OnnxModelFiles.Read(folder.File("out/dlrm-small.int8-static.onnx"));
        var scale = OnnxTensors.Read<float>(model.Graph.Initializer.Single(t => t.Name == "dense.act_scale"))[0];
        scale.Should().BeApproximately((Math.Max(0, dense.Max()) - Math.Min(0, dense.Min())) / 255f, 1e-6f);
    }

    [Fact]
    public async Task Quantize_CalibrationDataWithABadLine_ExitCode2NamingFileLineAndFieldAndNothingWritten()
    {
        using var folder = new TempFolder();
        var (lines, _) = DlrmRequests(requests: 1, candidates: 4, denseScale: 1f);
        await File.WriteAllLinesAsync(folder.File("calib.jsonl"), [lines[0], "{\"inputs\": {}, \"labels\": [1, 2]}"]);

        var (exitCode, output, error) = await CliRunner.RunAsync("optimize", "quantize", "--mode", "int8-static", "--calibration-data", folder.File("calib.jsonl"),
            "--in", await ModelFixtures.PathAsync("dlrm-small"), "--out", folder.File("out"));

        exitCode.Should().Be(2);
        error.Should().Contain("optimize quantize: --calibration-data calib.jsonl line 2: labels[1] must be 0, 1, true or false, got 2");
        output.Should().BeEmpty();
        Directory.Exists(folder.File("out")).Should().BeFalse();
    }

    [Theory]
    [InlineData("int8-dynamic", "--calibration-data", "apply to --mode int8-static only, not int8-dynamic")]
    [InlineData("int8-static", "--calibration-requests", "with --calibration-data the requests come from the file")]
    public async Task Quantize_CalibrationDataWithAConflictingFlag_ExitCode2(string mode, string flag, string expected)
    {
        using var folder = new TempFolder();
        var (lines, _) = DlrmRequests(requests: 1, candidates: 4, denseScale: 1f);
        await File.WriteAllLinesAsync(folder.File("calib.jsonl"), lines);
        string[] extra = flag == "--calibration-requests" ? ["--calibration-requests", "4"] : [];

        var (exitCode, _, error) = await CliRunner.RunAsync([.. new[] { "optimize", "quantize", "--mode", mode, "--calibration-data", folder.File("calib.jsonl"),
            "--in", await ModelFixtures.PathAsync("dlrm-small"), "--out", folder.File("out") }, .. extra]);

        exitCode.Should().Be(2);
        error.Should().Contain(expected);
        Directory.Exists(folder.File("out")).Should().BeFalse();
    }

    [Fact]
    public async Task QuantizeHelp_Always_DescribesCalibrationData()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("optimize", "quantize", "--help");

        exitCode.Should().Be(0);
        output.Should().Contain("--calibration-data").And.Contain("verify --dataset format");
    }

    /// <summary>dlrm-small requests (tables of 200 rows, as the fixture) as dataset lines, dense features scaled; and every dense value.</summary>
    private static (List<string> Lines, List<float> Dense) DlrmRequests(int requests, int candidates, float denseScale)
    {
        var reference = ReferenceModelCatalog.Create("dlrm-small", ReferenceModelCatalog.DefaultSeed, rows: 200);
        var random = new DeterministicRandom(21);
        var dense = new List<float>();
        var lines = new List<string>();
        for (var r = 0; r < requests; r++)
        {
            var inputs = reference.CreateInputs(candidates, random).ToDictionary(i => i.Name, i => i.Tensor is TensorBuffer<float> f
                ? (object)f.Span.ToArray().Select(v => v * denseScale).ToArray()
                : ((TensorBuffer<long>)i.Tensor).Span.ToArray());
            dense.AddRange((float[])inputs["dense"]);
            lines.Add(JsonSerializer.Serialize(new Dictionary<string, object> { ["inputs"] = inputs, ["labels"] = new int[candidates] }));
        }
        return (lines, dense);
    }
}
