using System.Text.Json.Nodes;
using RecOperator.Crds.Models;
using RecOperator.Crds.Validation;
using RecOperator.Kube.Models;

namespace RecOperator.Crds.Tests;

/// <summary>The one validation function, called with typed objects as the operator will call it.</summary>
public sealed class ResourceValidatorTests
{
    private static RecModel Model(params VariantSpec[] variants) => new()
    {
        Metadata = new V1ObjectMeta { Name = "ranking", Namespace = "default" },
        Spec = new RecModelSpec { Slo = new SloSpec { P99LatencyMs = 25 }, Variants = variants },
    };

    private static VariantSpec Variant(string name, Hardware hardware = Hardware.Cpu, ExecutionProvider provider = ExecutionProvider.Cpu) => new()
    {
        Name = name,
        Hardware = hardware,
        ExecutionProvider = provider,
        Artifact = new ArtifactSpec { Uri = "file:///models/m.onnx" },
        NodePools = ["cpu-spot"],
    };

    [Fact]
    public void Validate_ValidTypedModel_HasNoErrors()
    {
        ResourceValidator.Validate(Model(Variant("cpu"), Variant("gpu", Hardware.Gpu, ExecutionProvider.Cuda))).Should().BeEmpty();
    }

    [Theory]
    [InlineData(3, 2, "spec.variants[0].replicas: min (3) must be <= max (2)")]
    [InlineData(0, 20000, "spec.variants[0].replicas.max: must be <= 10000 (got 20000)")]
    [InlineData(-1, 2, "spec.variants[0].replicas.min: must be >= 0 (got -1)")]
    public void Validate_ReplicaBounds_NamesTheField(int min, int max, string expected)
    {
        var model = Model(Variant("cpu") with { Replicas = new ReplicaBounds { Min = min, Max = max } });

        ResourceValidator.Validate(model).Select(e => e.ToString()).Should().Equal(expected);
    }

    [Theory]
    [InlineData(Hardware.Cpu, ExecutionProvider.Cuda, true)]
    [InlineData(Hardware.Asic, ExecutionProvider.TensorRT, true)]
    [InlineData(Hardware.Gpu, ExecutionProvider.TensorRT, false)]
    [InlineData(Hardware.Cpu, ExecutionProvider.OpenVINO, false)]
    [InlineData(Hardware.Asic, ExecutionProvider.Cpu, false)]
    public void Validate_GpuOnlyProviders_RequireGpuHardware(Hardware hardware, ExecutionProvider provider, bool invalid)
    {
        var errors = ResourceValidator.Validate(Model(Variant("v", hardware, provider)));

        errors.Any(e => e.Path == "spec.variants[0].executionProvider").Should().Be(invalid);
    }

    [Theory]
    [InlineData("https://models.internal.example/m.onnx", true)]
    [InlineData("s3://models/m.onnx", true)]
    [InlineData("gs://models/m.onnx", true)]
    [InlineData("http://models.internal.example/m.onnx", false)]
    [InlineData("file:///models/m.onnx", false)]
    [InlineData("pvc://model-store/m.onnx", false)]
    public void Validate_CaBundle_OnlyWithAnArtifactFetchedOverTls(string uri, bool valid)
    {
        var bundle = new CaBundleSpec { ConfigMapKeyRef = new ConfigMapKeyReference { Name = "model-store-ca", Key = "ca.crt" } };
        var model = Model(Variant("cpu") with { Artifact = new ArtifactSpec { Uri = uri, CaBundle = bundle } });

        var errors = ResourceValidator.Validate(model).Select(e => e.ToString());

        if (valid)
        {
            errors.Should().BeEmpty();
        }
        else
        {
            errors.Should().Equal($"spec.variants[0].artifact.caBundle: needs an artifact fetched over TLS (uri https://, s3:// or gs://); the uri is \"{uri}\"");
        }
    }

    [Theory]
    [InlineData("ca.crt", true)]
    [InlineData(".ca-bundle.pem", true)]
    [InlineData("tls_CA-2", true)]
    [InlineData(".", false)]
    [InlineData("..", false)]
    [InlineData("..ca", false)]
    [InlineData("certs/ca.crt", false)]
    [InlineData("", false)]
    public void Validate_CaBundleKey_FollowsConfigMapKeyRules(string key, bool valid)
    {
        var bundle = new CaBundleSpec { ConfigMapKeyRef = new ConfigMapKeyReference { Name = "model-store-ca", Key = key } };
        var model = Model(Variant("cpu") with { Artifact = new ArtifactSpec { Uri = "https://models.internal.example/m.onnx", CaBundle = bundle } });

        ResourceValidator.Validate(model).Select(e => e.Path).Should().Equal(valid ? [] : ["spec.variants[0].artifact.caBundle.configMapKeyRef.key"]);
    }

    [Fact]
    public void Validate_CaBundleFromASecret_IsValidAndItsKeyFollowsTheSameRules()
    {
        var bundle = new CaBundleSpec { SecretKeyRef = new SecretKeyReference { Name = "model-store-tls", Key = "ca.crt" } };
        var badKey = new CaBundleSpec { SecretKeyRef = new SecretKeyReference { Name = "Store_TLS", Key = "../ca.crt" } };

        ResourceValidator.Validate(WithCaBundle(bundle)).Should().BeEmpty();
        ResourceValidator.Validate(WithCaBundle(badKey)).Select(e => e.Path)
            .Should().Equal("spec.variants[0].artifact.caBundle.secretKeyRef.name", "spec.variants[0].artifact.caBundle.secretKeyRef.key");
    }

    [Fact]
    public void Validate_CaBundleWithBothSources_NamesTheCaBundle()
    {
        var bundle = new CaBundleSpec
        {
            ConfigMapKeyRef = new ConfigMapKeyReference { Name = "model-store-ca", Key = "ca.crt" },
            SecretKeyRef = new SecretKeyReference { Name = "model-store-tls", Key = "ca.crt" },
        };

        ResourceValidator.Validate(WithCaBundle(bundle)).Select(e => e.ToString())
            .Should().Equal("spec.variants[0].artifact.caBundle: exactly one of configMapKeyRef and secretKeyRef must be set; both are");
    }

    [Fact]
    public void Validate_CaBundleWithNeitherSource_NamesTheCaBundle()
    {
        ResourceValidator.Validate(WithCaBundle(new CaBundleSpec())).Select(e => e.ToString())
            .Should().Equal("spec.variants[0].artifact.caBundle: exactly one of configMapKeyRef and secretKeyRef must be set; neither is");
    }

    private static RecModel WithCaBundle(CaBundleSpec bundle) =>
        Model(Variant("cpu") with { Artifact = new ArtifactSpec { Uri = "https://models.internal.example/m.onnx", CaBundle = bundle } });

    [Fact]
    public void Validate_SchemaAndCrossFieldErrors_ReportsBoth()
    {
        var variant = Variant("cpu") with
        {
            Artifact = new ArtifactSpec { Uri = "file:///models/m.onnx", Sha256 = "abc" },
            Replicas = new ReplicaBounds { Min = 3, Max = 2 },
        };

        ResourceValidator.Validate(Model(variant)).Select(e => e.Path).Should().Equal("spec.variants[0].artifact.sha256", "spec.variants[0].replicas");
    }

    [Fact]
    public void Validate_NodePoolListedTwice_IsADuplicateOfTheSet()
    {
        var model = Model(Variant("cpu") with { NodePools = ["cpu-spot", "gpu", "cpu-spot"] });

        ResourceValidator.Validate(model).Select(e => e.ToString()).Should().Equal(
            "spec.variants[0].nodePools[2]: duplicate value \"cpu-spot\" (also at spec.variants[0].nodePools[0])");
    }

    [Fact]
    public void Validate_MoreVariantsThanTheSchemaAllows_IsRejected()
    {
        var variants = Enumerable.Range(0, RecModelSpec.MaxVariants + 1).Select(i => Variant($"v{i}")).ToArray();

        ResourceValidator.Validate(Model(variants)).Select(e => e.ToString()).Should().Equal(
            $"spec.variants: must have at most {RecModelSpec.MaxVariants} items (got {RecModelSpec.MaxVariants + 1})");
    }

    [Theory]
    [InlineData("""{"slo":{"p99LatencyMs":25},"variants":[null]}""", "spec.variants[0]")]
    [InlineData("""{"slo":{"p99LatencyMs":"fast"},"variants":[]}""", "spec.slo.p99LatencyMs")]
    [InlineData("""{"slo":{"p99LatencyMs":25},"variants":[{"name":"cpu","hardware":"Tpu","artifact":{"uri":"file:///m.onnx"},"nodePools":["a"]}]}""", "spec.variants[0].hardware")]
    public void Validate_DocumentTheTypesCannotHold_ReportsSchemaErrorsWithoutThrowing(string spec, string path)
    {
        var document = new JsonObject
        {
            ["apiVersion"] = ApiGroup.ApiVersion,
            ["kind"] = RecModel.KindName,
            ["metadata"] = new JsonObject { ["name"] = "ranking", ["namespace"] = "default" },
            ["spec"] = JsonNode.Parse(spec),
        };

        ResourceValidator.Validate(document).Select(e => e.Path).Should().Contain(path);
    }

    [Fact]
    public void Validate_ModelNameTooLongForServiceNames_IsRejected()
    {
        var model = Model(Variant("cpu")) with { Metadata = new V1ObjectMeta { Name = new string('m', 23) } };

        ResourceValidator.Validate(model).Should().ContainSingle(e => e.Path == "metadata.name");
    }

    [Fact]
    public void Validate_WrongApiVersionOrKind_SaysWhatIsExpected()
    {
        ResourceValidator.Validate(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "RecModel" })
            .Should().ContainSingle().Which.ToString().Should().Be("apiVersion: must be serving.recoperator.io/v1alpha1 (got \"v1\")");
        ResourceValidator.Validate(new JsonObject { ["apiVersion"] = ApiGroup.ApiVersion, ["kind"] = "Model" })
            .Should().ContainSingle().Which.Path.Should().Be("kind");
    }

    [Fact]
    public void Validate_NodePoolGpuWithoutAccelerator_IsRejected()
    {
        var pool = new NodePool { Metadata = new V1ObjectMeta { Name = "gpu" }, Spec = new NodePoolSpec { Hardware = Hardware.Gpu, CostPerReplicaHour = 1 } };

        ResourceValidator.Validate(pool).Select(e => e.ToString())
            .Should().Equal("spec.acceleratorResourceName: is required for Gpu pools (e.g. nvidia.com/gpu)");
    }
}
