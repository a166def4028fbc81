using RecOperator.ModelOptimizer.Fidelity;
using RecOperator.ModelOptimizer.Quantization;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Tests;

/// <summary>int8-static calibration: min-max against percentile ranges when a few values are outliers.</summary>
public sealed class CalibrationTests
{
    [Fact]
    public void Range_UniformValuesWithFewOutliers_PercentileRangeMuchNarrowerThanMinMax()
    {
        var values = new DeterministicRandom(5).Symmetric(10_000, 1f).Concat([60f, -45f, 80f]).ToArray();

        var minMax = ActivationCalibrator.Range(values, percentile: null);
        var percentile = ActivationCalibrator.Range(values, percentile: 99.9);

        minMax.Should().Be((-45f, 80f));
        percentile.Min.Should().BeInRange(-1f, -0.9f, "the body of the distribution is kept");
        percentile.Max.Should().BeInRange(0.9f, 1f, "the three outliers are left out");
    }

    [Fact]
    public async Task Apply_CalibrationRequestsWithAnOutlierRow_PercentileGivesASmallerActivationScaleThanMinMax()
    {
        var model = OnnxModelFiles.Read(await ModelFixtures.PathAsync("dlrm-small"));
        var specs = InputSpecs.Of(model);
        var random = new DeterministicRandom(9);
        var requests = Enumerable.Range(0, 4).Select(r =>
        {
            var request = SyntheticRequest.Create(specs, 64, random);
            // One dense value per request far outside the [-1, 1) body.
            ((float[])request.Inputs["dense"].Values)[r] = 50f;
            return new LabeledRequest(request, new bool[64], $"request {r}");
        }).ToList();
        var data = new CalibrationSet("4 requests with outliers", requests);
        var engine = OrtEngine.Create();

        var minMax = DenseScale(new StaticInt8Transform(engine, 0, 0, null, data).Apply(model.Clone()).Model);
        var percentile = DenseScale(new StaticInt8Transform(engine, 0, 0, 99, data).Apply(model.Clone()).Model);

        minMax.Should().BeApproximately((50f + 1f) / 255f, 0.01f / 255f, "min-max stretches to the outlier");
        percentile.Should().BeLessThan(minMax / 10, "percentile 99 ignores 4 values in 4 x 64 x 13");
    }

    private static float DenseScale(ModelProto model) => OnnxTensors.Read<float>(model.Graph.Initializer.Single(t => t.Name == "dense.act_scale"))[0];
}
