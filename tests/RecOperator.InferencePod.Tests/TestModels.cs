using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.ModelOptimizer.Split;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Tests;

/// <summary>Reference models built once per test run into a temp folder, and direct engine runs to compare with.</summary>
internal static class TestModels
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "recpod-tests-" + Environment.ProcessId);
    private static readonly Lazy<Task<BuiltModel>> Dlrm = new(() => BuildAsync("dlrm-small"));
    private static readonly Lazy<Task<BuiltModel>> UserCandidate = new(() => BuildAsync("user-candidate"));
    private static readonly Lazy<Task<string>> Split = new(SplitAsync);
    private static readonly Lazy<Task<string>> DlrmInt8Dynamic = new(BuildDlrmInt8DynamicAsync);

    public static Task<BuiltModel> DlrmAsync() => Dlrm.Value;

    public static Task<BuiltModel> UserCandidateAsync() => UserCandidate.Value;

    /// <summary>user-candidate split by `optimize split` (user_dense, user_history on the user side): the candidate model's path.</summary>
    public static Task<string> SplitUserCandidateAsync() => Split.Value;

    /// <summary>dlrm-small quantized int8-dynamic (activation ranges taken over the batch at run time): the model's path.</summary>
    public static Task<string> DlrmInt8DynamicAsync() => DlrmInt8Dynamic.Value;

    public static IReferenceModel Reference(string name) => ReferenceModelCatalog.Create(name);

    /// <summary>Scores from one direct engine call, no server in between.</summary>
    public static float[] RunDirect(string path, IReadOnlyList<NamedTensor> inputs)
    {
        using var session = OrtEngine.Create().Load(path, new InferenceSessionOptions { IntraOpThreads = 1 });
        var outputs = session.Run(inputs);
        var scores = ((TensorBuffer<float>)outputs[0].Tensor).Span.ToArray();
        foreach (var output in outputs)
        {
            output.Tensor.Dispose();
        }
        return scores;
    }

    private static async Task<string> SplitAsync()
    {
        var model = await UserCandidate.Value;
        var options = new PipelineOptions { InputPath = model.Path, OutputFolder = Path.Combine(Folder, "split") };
        var result = await SplitPipeline.RunAsync(["user_dense", "user_history"], options, OrtEngine.Create(), CancellationToken.None);
        return result.ModelPath;
    }

    private static async Task<string> BuildDlrmInt8DynamicAsync()
    {
        var model = await Dlrm.Value;
        var options = new PipelineOptions { InputPath = model.Path, OutputFolder = Path.Combine(Folder, "int8-dynamic") };
        var result = await OptimizationPipeline.RunAsync(new RecOperator.ModelOptimizer.Quantization.DynamicInt8Transform(), options, OrtEngine.Create(), CancellationToken.None);
        return result.ModelPath;
    }

    private static Task<BuiltModel> BuildAsync(string name) =>
        ReferenceModelBuilder.BuildAsync(ReferenceModelCatalog.Create(name), Folder, OrtEngine.Create(), CancellationToken.None);
}
