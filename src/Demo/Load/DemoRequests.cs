using RecOperator.InferencePod.Protocol;
using RecOperator.ModelOptimizer.Reference;

namespace RecOperator.Demo.Load;

/// <summary>
/// Ready-made Open Inference Protocol request bodies for the sample model: one user and its candidates each, from
/// the reference model's own input generator, so every request is valid and scores differ from one to the next.
/// </summary>
public static class DemoRequests
{
    public static IReadOnlyList<byte[]> Create(string referenceModel, int count, int candidates, ulong seed = 7)
    {
        var model = ReferenceModelCatalog.Create(referenceModel);
        var random = new DeterministicRandom(seed);
        var bodies = new List<byte[]>(count);
        for (var i = 0; i < count; i++)
        {
            var inputs = model.CreateInputs(candidates, random);
            bodies.Add(InferRequestJson.Utf8(inputs, $"demo-{i}"));
            foreach (var input in inputs)
            {
                input.Tensor.Dispose();
            }
        }
        return bodies;
    }
}
