using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.Kube.Models;
using RecOperator.KubeTypesGen;

namespace RecOperator.Kube.Tests;

public sealed class GeneratedTypesTests
{
    [Fact]
    public void Generate_FromSharedSchema_MatchesCommittedFiles()
    {
        var fresh = KubeTypesGenerator.Generate(File.ReadAllText(TestRepository.SwaggerPath));
        var folder = Path.Combine(TestRepository.Root, "src", "Kube", "Generated");
        var committed = Directory.EnumerateFiles(folder, "*.cs").ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal);

        committed.Keys.Should().BeEquivalentTo(fresh.Keys, "run scripts/generate-kube-types.sh and commit the result");
        foreach (var (name, content) in fresh)
        {
            committed[name].Should().Be(content, $"{name} differs from a fresh generation: run scripts/generate-kube-types.sh");
        }
    }

    [Fact]
    public void Generate_ClosureOfRootKinds_ContainsEveryKindTheProjectUses()
    {
        var names = KubeTypesGenerator.Generate(File.ReadAllText(TestRepository.SwaggerPath)).Keys;
        names.Should().Contain(["V1ObjectMeta.cs", "V1Deployment.cs", "V1DeploymentList.cs", "V1Lease.cs", "CoreV1Event.cs", "EventsV1Event.cs",
            "V1PodDisruptionBudget.cs", "V1CustomResourceDefinition.cs", "V1ClusterRoleBinding.cs", "V1Scale.cs", "V1Status.cs", "V1PodSpec.cs"]);
        names.Should().NotContain("V1JSONSchemaProps.cs", "CRD schemas are kept as JSON trees");
        names.Count.Should().BeLessThan(300);
    }

    [Fact]
    public void Json_Deployment_RoundTripsThroughTheContext()
    {
        const string json = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"prod","labels":{"app":"web"},
             "creationTimestamp":"2024-05-01T12:00:00Z","ownerReferences":[{"apiVersion":"serving.recoperator.io/v1alpha1","kind":"RecModel","name":"ctr","uid":"u1","controller":true}]},
             "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"strategy":{"rollingUpdate":{"maxSurge":"25%","maxUnavailable":0}},
             "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"srv","image":"srv:1","ports":[{"containerPort":8080}],
             "resources":{"limits":{"cpu":"2","memory":"1Gi"}}}]}}},
             "status":{"replicas":3,"conditions":[{"type":"Available","status":"True","lastTransitionTime":"2024-05-01T12:00:05Z"}]}}
            """;
        var deployment = JsonSerializer.Deserialize(json, KubeJsonContext.Default.V1Deployment)!;

        deployment.Spec!.Template.Spec!.Containers[0].Resources!.Limits!["memory"].Should().Be(ResourceQuantity.Parse("1024Mi"));
        deployment.Spec.Strategy!.RollingUpdate!.MaxSurge!.Value.GetScaledValue(4, roundUp: true).Should().Be(1);
        deployment.Metadata!.CreationTimestamp.Should().Be(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));
        var written = JsonSerializer.Serialize(deployment, KubeJsonContext.Default.V1Deployment);
        JsonNode.DeepEquals(JsonNode.Parse(written), JsonNode.Parse(json)).Should().BeTrue(written);
    }

    [Fact]
    public void Json_NewLease_CarriesApiVersionKindAndMicroTime()
    {
        var lease = new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "leader" },
            Spec = new V1LeaseSpec { RenewTime = new DateTimeOffset(2024, 5, 1, 12, 0, 0, 123, TimeSpan.Zero), HolderIdentity = "a" },
        };
        var json = JsonSerializer.Serialize(lease, KubeJsonContext.Default.V1Lease);

        json.Should().Be("""{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"leader"},"spec":{"holderIdentity":"a","renewTime":"2024-05-01T12:00:00.123000Z"}}""");
        V1Lease.Descriptor.Should().Be(new ResourceDescriptor("coordination.k8s.io", "v1", "Lease", "leases", true));
    }

    [Fact]
    public void Json_CrdSchema_IsKeptAsJsonTree()
    {
        const string json = """{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true,"properties":{"spec":{"type":"object"}}}}""";
        var validation = JsonSerializer.Deserialize(json, KubeJsonContext.Default.V1CustomResourceValidation)!;
        validation.OpenAPIV3Schema!["properties"]!["spec"]!["type"]!.GetValue<string>().Should().Be("object");
        JsonSerializer.Serialize(validation, KubeJsonContext.Default.V1CustomResourceValidation).Should().Be(json);
    }

    [Fact]
    public void Json_ContainerWithoutRequiredName_IsRejected() =>
        FluentActions.Invoking(() => JsonSerializer.Deserialize("""{"image":"x"}""", KubeJsonContext.Default.V1Container))
            .Should().Throw<JsonException>().WithMessage("*name*");

    [Fact]
    public void Descriptor_CoreAndClusterScopedKinds_ComeFromSchemaPaths()
    {
        V1Node.Descriptor.Should().Be(new ResourceDescriptor("", "v1", "Node", "nodes", false));
        V1Node.Descriptor.ObjectPath("n1", null).Should().Be("/api/v1/nodes/n1");
        V1Deployment.Descriptor.ObjectPath("web", "prod", "scale").Should().Be("/apis/apps/v1/namespaces/prod/deployments/web/scale");
        V1CustomResourceDefinition.Descriptor.Namespaced.Should().BeFalse();
    }
}
