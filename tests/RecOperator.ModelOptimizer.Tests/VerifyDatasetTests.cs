using System.Text.Json;
using RecOperator.ModelOptimizer.Fidelity;
using RecOperator.ModelOptimizer.Graph;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;

namespace RecOperator.ModelOptimizer.Tests;

/// <summary>`optimize verify --dataset FILE`: requests and observed labels from a JSON Lines file.</summary>
public sealed class VerifyDatasetTests
{
    [Fact]
    public async Task Verify_DatasetWithLabelsSeparatingReferenceScores_ReportsAucOneFromTheFileLabels()
    {
        var model = await ModelFixtures.PathAsync("user-candidate");
        using var folder = new TempFolder();
        var dataset = folder.File("clicks.jsonl");
        await File.WriteAllLinesAsync(dataset, SeparableDataset(model, requests: 5));

        var (exitCode, output, error) = await CliRunner.RunAsync("optimize", "verify", "--reference", model, "--candidate", model, "--dataset", dataset, "--gate");

        exitCode.Should().Be(0, error);
        // Labels drawn from the model's probabilities never separate its scores perfectly; the file's labels do.
        output.Should().Contain("fidelity over 5 requests of dataset clicks.jsonl").And.Contain("labels from the dataset")
            .And.Contain("AUC 1.00000 -> 1.00000 (drop 0.00000)").And.Contain("top-10 1.0000").And.Contain("gate passed");
    }

    [Theory]
    [InlineData("{\"inputs\": {}, \"labels\": [1, 0", "line 2: not valid JSON")]
    [InlineData("{\"inputs\": {}}", "line 2: \"labels\" must be a JSON array")]
    [InlineData("{\"inputs\": {}, \"labels\": [1, 2]}", "line 2: labels[1] must be 0, 1, true or false, got 2")]
    [InlineData("{\"inputs\": {\"clicks\": []}, \"labels\": [1]}", "line 2: inputs.clicks is not an input of the reference model")]
    [InlineData("{\"inputs\": {\"user_dense\": []}, \"labels\": [1]}", "line 2: inputs.user_dense: shape [1, 16] needs 16 values, got 0")]
    [InlineData("{\"inputs\": {\"user_dense\": {\"shape\": [2, 16], \"data\": []}}, \"labels\": [1]}", "line 2: inputs.user_dense.shape must be [1, 16], got [2, 16]")]
    [InlineData("{\"inputs\": {\"user_dense\": {\"shape\": [1, 16], \"data\": [0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}, \"user_history\": [9999,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0], \"item_id\": [0], \"item_dense\": [0,0,0,0,0,0,0,0]}, \"labels\": [1]}",
        "line 2: the models cannot score this request")]
    public async Task Verify_BadDatasetLine_ExitCode2NamingLineAndField(string badLine, string expected)
    {
        var model = await ModelFixtures.PathAsync("user-candidate");
        using var folder = new TempFolder();
        var dataset = folder.File("bad.jsonl");
        await File.WriteAllLinesAsync(dataset, [SeparableDataset(model, requests: 1)[0], badLine]);

        var (exitCode, output, error) = await CliRunner.RunAsync("optimize", "verify", "--reference", model, "--candidate", model, "--dataset", dataset);

        exitCode.Should().Be(2);
        error.Should().Contain($"--dataset bad.jsonl {expected}");
        output.Should().BeEmpty("the whole file is checked before any model runs");
    }

    [Fact]
    public void ParseLine_IdThatIsNotAnInteger_NamesTheElement()
    {
        var specs = new[] { new InputSpec("ids", TensorElementType.Int64, [null, 2], 100) };

        var parse = () => DatasetReader.ParseLine("{\"inputs\": {\"ids\": [1, 2, 3.5, 4]}, \"labels\": [0, 1]}", specs, "f.jsonl line 7");

        parse.Should().Throw<ModelRejectedException>().WithMessage("f.jsonl line 7: inputs.ids[2] must be a non-negative integer id, got 3.5");
    }

    [Fact]
    public async Task Verify_DatasetWithSyntheticRequestFlags_ExitCode2()
    {
        var model = await ModelFixtures.PathAsync("user-candidate");
        using var folder = new TempFolder();
        var dataset = folder.File("d.jsonl");
        await File.WriteAllLinesAsync(dataset, SeparableDataset(model, requests: 1));

        var (exitCode, _, error) = await CliRunner.RunAsync("optimize", "verify", "--reference", model, "--candidate", model, "--dataset", dataset, "--candidates", "10");

        exitCode.Should().Be(2);
        error.Should().Contain("--candidates shapes synthetic requests; with --dataset the requests come from the file");
    }

    /// <summary>Requests of 20.. candidates, labelled 1 where the model's score is above the median of all scores.</summary>
    private static List<string> SeparableDataset(string model, int requests)
    {
        var reference = ReferenceModelCatalog.Create("user-candidate", ReferenceModelCatalog.DefaultSeed, rows: 500);
        var random = new DeterministicRandom(77);
        using var session = OrtEngine.Create().Load(model, new InferenceSessionOptions { IntraOpThreads = 1 });
        var rows = Enumerable.Range(0, requests).Select(n =>
        {
            var inputs = reference.CreateInputs(20 + n, random);
            var outputs = session.Run(inputs);
            var scores = ((TensorBuffer<float>)outputs[0].Tensor).Span.ToArray();
            foreach (var output in outputs)
            {
                output.Tensor.Dispose();
            }
            return (Inputs: inputs, Scores: scores);
        }).ToList();
        var median = rows.SelectMany(r => r.Scores).Order().ElementAt(rows.Sum(r => r.Scores.Length) / 2);
        return rows.Select(r => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["inputs"] = r.Inputs.ToDictionary(i => i.Name, i => i.Tensor is TensorBuffer<float> f ? (object)f.Span.ToArray() : ((TensorBuffer<long>)i.Tensor).Span.ToArray()),
            ["labels"] = r.Scores.Select(s => s > median ? 1 : 0).ToArray(),
        })).ToList();
    }
}
