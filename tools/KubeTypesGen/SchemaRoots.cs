namespace RecOperator.KubeTypesGen;

/// <summary>The built-in kinds the project reads or writes; the generator emits them and everything they reference.</summary>
public static class SchemaRoots
{
    /// <summary>Definition keys of the root kinds. Their <c>List</c> companions are added when the schema has them.</summary>
    public static IReadOnlyList<string> Kinds { get; } =
    [
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        "io.k8s.apimachinery.pkg.apis.meta.v1.Status",
        "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions",
        "io.k8s.api.apps.v1.Deployment",
        "io.k8s.api.apps.v1.ReplicaSet",
        "io.k8s.api.core.v1.Service",
        "io.k8s.api.core.v1.Endpoints",
        "io.k8s.api.core.v1.Pod",
        "io.k8s.api.core.v1.Binding",
        "io.k8s.api.core.v1.Node",
        "io.k8s.api.core.v1.Namespace",
        "io.k8s.api.core.v1.ConfigMap",
        "io.k8s.api.core.v1.Secret",
        "io.k8s.api.core.v1.ServiceAccount",
        "io.k8s.api.core.v1.Event",
        "io.k8s.api.events.v1.Event",
        "io.k8s.api.coordination.v1.Lease",
        "io.k8s.api.policy.v1.PodDisruptionBudget",
        "io.k8s.api.autoscaling.v1.Scale",
        "io.k8s.api.rbac.v1.Role",
        "io.k8s.api.rbac.v1.ClusterRole",
        "io.k8s.api.rbac.v1.RoleBinding",
        "io.k8s.api.rbac.v1.ClusterRoleBinding",
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition",
        // Served by DevCluster's authentication and authorization: kubelet-style TokenRequest, `kubectl auth whoami`,
        // `kubectl auth can-i` (with --list), and the reviews a webhook or an aggregated server asks the API server for.
        "io.k8s.api.authentication.v1.TokenRequest",
        "io.k8s.api.authentication.v1.SelfSubjectReview",
        "io.k8s.api.authentication.v1.TokenReview",
        "io.k8s.api.authorization.v1.SelfSubjectAccessReview",
        "io.k8s.api.authorization.v1.SelfSubjectRulesReview",
        "io.k8s.api.authorization.v1.SubjectAccessReview",
        "io.k8s.api.authorization.v1.LocalSubjectAccessReview",
    ];

    /// <summary>
    /// Definitions that become a fixed C# type instead of a generated record. JSONSchemaProps is recursive and
    /// has "OrBool"/"OrArray" unions that no record can express, so CRD schemas stay a JSON tree.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Mapped { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["io.k8s.apimachinery.pkg.util.intstr.IntOrString"] = "IntOrString",
        ["io.k8s.apimachinery.pkg.api.resource.Quantity"] = "ResourceQuantity",
        ["io.k8s.apimachinery.pkg.apis.meta.v1.Time"] = "DateTimeOffset",
        ["io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime"] = "DateTimeOffset",
        ["io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps"] = "JsonNode",
        ["io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON"] = "JsonNode",
        ["io.k8s.apimachinery.pkg.runtime.RawExtension"] = "JsonNode",
        ["io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1"] = "JsonNode",
    };

    /// <summary>Mapped definitions whose wire form needs a converter on the property (Kubernetes' time layouts).</summary>
    public static IReadOnlyDictionary<string, string> PropertyConverters { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["io.k8s.apimachinery.pkg.apis.meta.v1.Time"] = "KubeTimeConverter",
        ["io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime"] = "KubeMicroTimeConverter",
    };
}
