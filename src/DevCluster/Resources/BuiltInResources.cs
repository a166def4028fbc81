using System.Text.Json.Nodes;

namespace RecOperator.DevCluster.Resources;

/// <summary>The built-in kinds this control plane serves, with the printer columns `kubectl get` shows for them.</summary>
public static class BuiltInResources
{
    private static readonly PrinterColumn Age = new("Age", "date", ".metadata.creationTimestamp");

    /// <summary>Field selector labels that read the field of their own path (the lists of the Field Selectors page).</summary>
    private static Dictionary<string, string> Same(params string[] paths) => paths.ToDictionary(p => p, p => p, StringComparer.Ordinal);

    /// <summary>core/v1 Events: also the storage of events.k8s.io/v1 Events.</summary>
    private static readonly ResourceType CoreEvent = new("", "v1", "Event", "events", Namespaced: true)
    {
        ShortNames = ["ev"],
        SelectableFields = new Dictionary<string, string>(Same("involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
            "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "type"))
        {
            // The real server's source is the event source's component, or the reporting controller when there is none
            // (writers through events.k8s.io rarely set a source).
            ["source"] = "source.component|reportingComponent",
        },
        NameColumn = false,
        PrinterColumns = EventPrinter.Columns(e => e),
    };

    public static IReadOnlyList<ResourceType> All { get; } =
    [
        new("", "v1", "Namespace", "namespaces", Namespaced: false)
        {
            ShortNames = ["ns"], HasStatus = true,
            SelectableFields = Same("status.phase"),
            PrinterColumns = [new("Status", "string", ".status.phase"), Age],
        },
        new("", "v1", "Node", "nodes", Namespaced: false)
        {
            ShortNames = ["no"], HasStatus = true,
            SelectableFields = Same("spec.unschedulable"),
            PrinterColumns = [new("Status", "string", null) { Compute = (o, _) => NodeReady(o) }, Age,
                new("Version", "string", ".status.nodeInfo.kubeletVersion")],
        },
        new("", "v1", "Pod", "pods", Namespaced: true)
        {
            ShortNames = ["po"], Categories = ["all"], HasStatus = true,
            SelectableFields = new Dictionary<string, string>(Same("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"))
            {
                // The pods here have one IP each, so the list's selector reads the primary one.
                ["status.podIPs"] = "status.podIP",
            },
            PrinterColumns = [new("Ready", "string", null) { Compute = (o, _) => PodPrinter.Ready(o) },
                new("Status", "string", null) { Compute = (o, _) => PodPrinter.Status(o) },
                new("Restarts", "string", null) { Compute = PodPrinter.Restarts }, Age,
                new("IP", "string", null) { Priority = 1, Compute = (o, _) => JsonTree.GetString(o, "status.podIP") ?? "<none>" },
                new("Node", "string", null) { Priority = 1, Compute = (o, _) => JsonTree.GetString(o, "spec.nodeName") is { Length: > 0 } node ? node : "<none>" },
                new("Nominated Node", "string", null) { Priority = 1, Compute = (o, _) => JsonTree.GetString(o, "status.nominatedNodeName") is { Length: > 0 } node ? node : "<none>" },
                new("Readiness Gates", "string", null) { Priority = 1, Compute = (o, _) => ReadinessGates(o) }],
        },
        new("", "v1", "Service", "services", Namespaced: true)
        {
            ShortNames = ["svc"], Categories = ["all"], HasStatus = true,
            PrinterColumns = [new("Type", "string", ".spec.type"), new("Cluster-IP", "string", ".spec.clusterIP"),
                new("Port(s)", "string", null) { Compute = (o, _) => ServicePorts(o) }, Age],
        },
        new("", "v1", "Endpoints", "endpoints", Namespaced: true)
        {
            ShortNames = ["ep"], PrinterColumns = [new("Endpoints", "string", null) { Compute = (o, _) => EndpointAddresses(o) }, Age],
        },
        new("", "v1", "ConfigMap", "configmaps", Namespaced: true)
        {
            ShortNames = ["cm"], PrinterColumns = [new("Data", "integer", null) { Compute = (o, _) => CountOf(o, "data") }, Age],
        },
        new("", "v1", "Secret", "secrets", Namespaced: true)
        {
            SelectableFields = Same("type"),
            PrinterColumns = [new("Type", "string", ".type"), new("Data", "integer", null) { Compute = (o, _) => CountOf(o, "data") }, Age],
        },
        CoreEvent,
        new("", "v1", "ServiceAccount", "serviceaccounts", Namespaced: true) { ShortNames = ["sa"], PrinterColumns = [Age] },
        // One storage with the core Events, as on the real server: the operator's events.k8s.io Events show in
        // `kubectl describe` (which lists core Events) and the core ones through events.k8s.io.
        new("events.k8s.io", "v1", "Event", "events", Namespaced: true)
        {
            ShortNames = ["ev"],
            StoredAs = new StorageConversion(CoreEvent.StorageKey, EventConversion.ToCore, EventConversion.ToEventsV1),
            // The real server's field label conversion for events.k8s.io/v1: each label selects on the core field set,
            // read here from the stored (core) form.
            SelectableFields = new Dictionary<string, string>(Same("reason", "type"))
            {
                ["regarding.kind"] = "involvedObject.kind",
                ["regarding.namespace"] = "involvedObject.namespace",
                ["regarding.name"] = "involvedObject.name",
                ["regarding.uid"] = "involvedObject.uid",
                ["regarding.apiVersion"] = "involvedObject.apiVersion",
                ["regarding.resourceVersion"] = "involvedObject.resourceVersion",
                ["regarding.fieldPath"] = "involvedObject.fieldPath",
                ["reportingController"] = "reportingComponent",
                ["source"] = CoreEvent.SelectableFields!["source"],
            },
            NameColumn = false,
            PrinterColumns = EventPrinter.Columns(EventConversion.ToCore),
        },
        new("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", Namespaced: true)
        {
            PrinterColumns = [new("AddressType", "string", ".addressType"), Age],
        },
        new("apps", "v1", "Deployment", "deployments", Namespaced: true)
        {
            ShortNames = ["deploy"], Categories = ["all"], HasStatus = true, TracksGeneration = true,
            Scale = new ScaleSubresource("spec.replicas", "status.replicas", null),
            PrinterColumns = [new("Ready", "string", null) { Compute = (o, _) => DeploymentReady(o) },
                new("Up-to-date", "integer", ".status.updatedReplicas"),
                new("Available", "integer", ".status.availableReplicas"), Age],
        },
        new("apps", "v1", "ReplicaSet", "replicasets", Namespaced: true)
        {
            ShortNames = ["rs"], Categories = ["all"], HasStatus = true, TracksGeneration = true,
            SelectableFields = Same("status.replicas"),
            Scale = new ScaleSubresource("spec.replicas", "status.replicas", null),
            // kubectl's columns; a count the status leaves out (omitempty) shows 0, as its printer's integers do.
            PrinterColumns = [new("Desired", "integer", null) { Compute = (o, _) => JsonTree.GetLong(o, "spec.replicas") ?? 0 },
                new("Current", "integer", null) { Compute = (o, _) => JsonTree.GetLong(o, "status.replicas") ?? 0 },
                new("Ready", "integer", null) { Compute = (o, _) => JsonTree.GetLong(o, "status.readyReplicas") ?? 0 }, Age],
        },
        new("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", Namespaced: true)
        {
            ShortNames = ["pdb"], HasStatus = true, TracksGeneration = true,
            // kubectl's columns: the unset one of minAvailable and maxUnavailable shows N/A; the status is the disruption controller's.
            PrinterColumns = [new("Min Available", "string", null) { Compute = (o, _) => JsonTree.ScalarText(JsonTree.Get(o, "spec.minAvailable")) ?? "N/A" },
                new("Max Unavailable", "string", null) { Compute = (o, _) => JsonTree.ScalarText(JsonTree.Get(o, "spec.maxUnavailable")) ?? "N/A" },
                new("Allowed Disruptions", "integer", null) { Compute = (o, _) => JsonTree.GetLong(o, "status.disruptionsAllowed") ?? 0 }, Age],
        },
        new("coordination.k8s.io", "v1", "Lease", "leases", Namespaced: true)
        {
            PrinterColumns = [new("Holder", "string", ".spec.holderIdentity"), Age],
        },
        // Enforced: every request but the admin's (system:masters) is authorized by these (Auth/RbacAuthorizer).
        new("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", Namespaced: false) { PrinterColumns = [new("Created At", "date", ".metadata.creationTimestamp")] },
        new("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", Namespaced: false)
        {
            PrinterColumns = [new("Role", "string", null) { Compute = (o, _) => RoleRef(o) }, Age],
        },
        new("rbac.authorization.k8s.io", "v1", "Role", "roles", Namespaced: true) { PrinterColumns = [new("Created At", "date", ".metadata.creationTimestamp")] },
        new("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", Namespaced: true)
        {
            PrinterColumns = [new("Role", "string", null) { Compute = (o, _) => RoleRef(o) }, Age],
        },
        // Answered, never stored: the caller's own identity and access (kubectl auth whoami, kubectl auth can-i), and the reviews
        // of another user's access or of a token that webhooks and aggregated servers ask for.
        new("authentication.k8s.io", "v1", "SelfSubjectReview", "selfsubjectreviews", Namespaced: false) { Verbs = ["create"] },
        new("authorization.k8s.io", "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews", Namespaced: false) { Verbs = ["create"] },
        new("authorization.k8s.io", "v1", "SelfSubjectRulesReview", "selfsubjectrulesreviews", Namespaced: false) { Verbs = ["create"] },
        new("authentication.k8s.io", "v1", "TokenReview", "tokenreviews", Namespaced: false) { Verbs = ["create"] },
        new("authorization.k8s.io", "v1", "SubjectAccessReview", "subjectaccessreviews", Namespaced: false) { Verbs = ["create"] },
        new("authorization.k8s.io", "v1", "LocalSubjectAccessReview", "localsubjectaccessreviews", Namespaced: true) { Verbs = ["create"] },
        new("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", Namespaced: false)
        {
            ShortNames = ["crd", "crds"], HasStatus = true, TracksGeneration = true,
            PrinterColumns = [new("Created At", "date", ".metadata.creationTimestamp")],
        },
    ];

    private static object? RoleRef(JsonObject binding) =>
        $"{JsonTree.GetString(binding, "roleRef.kind")}/{JsonTree.GetString(binding, "roleRef.name")}";

    private static object? CountOf(JsonObject obj, string field) =>
        (obj[field] as JsonObject)?.Count ?? 0;

    /// <summary>Readiness gates met over declared, or &lt;none&gt; when the pod declares none.</summary>
    private static object? ReadinessGates(JsonObject pod)
    {
        var gates = (JsonTree.Get(pod, "spec.readinessGates") as JsonArray ?? []).Select(g => JsonTree.GetString(g, "conditionType")).ToList();
        if (gates.Count == 0)
        {
            return "<none>";
        }
        var conditions = JsonTree.Get(pod, "status.conditions") as JsonArray ?? [];
        var met = gates.Count(g => conditions.Any(c => JsonTree.GetString(c, "type") == g && JsonTree.GetString(c, "status") == "True"));
        return $"{met}/{gates.Count}";
    }

    private static object? DeploymentReady(JsonObject deployment) =>
        $"{JsonTree.GetLong(deployment, "status.readyReplicas") ?? 0}/{JsonTree.GetLong(deployment, "spec.replicas") ?? 1}";

    /// <summary>Ready or NotReady, with ",SchedulingDisabled" for a cordoned node, as kubectl shows it.</summary>
    private static object? NodeReady(JsonObject node) =>
        (JsonPathQuery.First(node, ".status.conditions[?(@.type==\"Ready\")].status") is JsonValue v && v.TryGetValue<string>(out var s) && s == "True" ? "Ready" : "NotReady")
        + (JsonTree.Get(node, "spec.unschedulable")?.GetValueKind() == System.Text.Json.JsonValueKind.True ? ",SchedulingDisabled" : "");

    /// <summary>Ready ip:port pairs as kubectl prints them: the first three, then "+ N more...".</summary>
    private static object? EndpointAddresses(JsonObject endpoints)
    {
        var pairs = (JsonTree.Get(endpoints, "subsets") as JsonArray ?? []).SelectMany(subset =>
            (JsonTree.Get(subset, "addresses") as JsonArray ?? []).SelectMany(address =>
                (JsonTree.Get(subset, "ports") as JsonArray ?? []).Select(port => $"{JsonTree.GetString(address, "ip")}:{JsonTree.Get(port, "port")}"))).ToList();
        return pairs.Count switch
        {
            0 => "<none>",
            <= 3 => string.Join(',', pairs),
            _ => $"{string.Join(',', pairs.Take(3))} + {pairs.Count - 3} more...",
        };
    }

    private static object? ServicePorts(JsonObject service) =>
        JsonTree.Get(service, "spec.ports") is JsonArray ports
            ? string.Join(',', ports.Select(p => $"{JsonTree.Get(p, "port")}/{JsonTree.GetString(p, "protocol") ?? "TCP"}"))
            : "<none>";
}
