using RecOperator.Crds;
using RecOperator.Kube.Models;

namespace RecOperator.Operator.Desired;

/// <summary>Services of a model: one per variant (across its pools) and one for the whole model (across variants).</summary>
public static class ServiceBuilder
{
    public static V1Service Variant(RecModel model, string variant)
    {
        var name = NameOf(model);
        return Build(model, ChildNames.VariantService(name, variant), ChildLabels.For(name, variant), ChildLabels.Selector(name, variant));
    }

    public static V1Service Model(RecModel model)
    {
        var name = NameOf(model);
        return Build(model, ChildNames.ModelService(name), ChildLabels.For(name), ChildLabels.Selector(name));
    }

    private static V1Service Build(RecModel model, string name, Dictionary<string, string> labels, Dictionary<string, string> selector) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Namespace = model.Metadata!.Namespace,
            Labels = labels,
            OwnerReferences = [OwnerReferences.ControllerOf(model)],
        },
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = selector,
            Ports =
            [
                new V1ServicePort { Name = PodPorts.HttpName, Port = PodPorts.Http, TargetPort = PodPorts.HttpName, Protocol = "TCP", AppProtocol = "http" },
                // h2c tells gateways and meshes the gRPC port speaks cleartext HTTP/2.
                new V1ServicePort { Name = PodPorts.GrpcName, Port = PodPorts.Grpc, TargetPort = PodPorts.GrpcName, Protocol = "TCP", AppProtocol = "kubernetes.io/h2c" },
            ],
        },
    };

    private static string NameOf(RecModel model) =>
        model?.Metadata?.Name ?? throw new ArgumentException("the RecModel has no name", nameof(model));
}
