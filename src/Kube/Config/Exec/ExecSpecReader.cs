using System.Text.Json.Nodes;

namespace RecOperator.Kube.Config.Exec;

/// <summary>
/// Reads and validates a kubeconfig user's <c>exec</c> section as kubectl does, refusing what cannot work without a
/// terminal (<c>interactiveMode: Always</c>) and the plugin versions client-go no longer speaks. No I/O.
/// </summary>
internal static class ExecSpecReader
{
    private const string V1Alpha1 = "client.authentication.k8s.io/v1alpha1";

    /// <param name="exec">The <c>exec</c> mapping.</param>
    /// <param name="file">The kubeconfig, for messages.</param>
    /// <param name="folder">The kubeconfig's folder: a command path with a separator is relative to it.</param>
    /// <param name="cluster">The cluster as sent to the plugin; only called when the section sets provideClusterInfo.</param>
    public static ExecPluginSpec Read(YamlFields exec, string file, string folder, Func<ExecClusterInfo> cluster)
    {
        var apiVersion = ApiVersion(exec);
        InteractiveMode(exec, apiVersion);
        return new ExecPluginSpec
        {
            Command = Command(exec.RequiredText("command"), folder),
            Args = exec.Strings("args"),
            Env = exec.List("env").Select(e => KeyValuePair.Create(e.RequiredText("name"), e.Text("value") ?? "")).ToList(),
            ApiVersion = apiVersion,
            InstallHint = exec.Text("installHint"),
            Cluster = exec.Flag("provideClusterInfo") ? cluster() : null,
            Origin = $"{file}: {exec.Path}",
        };
    }

    /// <summary>The cluster as sent in <c>spec.cluster</c>; the CA as PEM text whether the kubeconfig holds it as data or a file.</summary>
    public static ExecClusterInfo ClusterInfo(YamlFields cluster, string server, string? caPem, bool insecure, string? tlsServerName)
    {
        var extension = cluster.List("extensions").FirstOrDefault(e => e.Text("name") == ExecClusterInfo.ExtensionName);
        JsonNode? config;
        try
        {
            config = extension?.Json("extension");
        }
        catch (FormatException e)
        {
            throw extension!.Error("extension", "cannot be passed to the exec plugin as JSON: " + e.Message);
        }

        return new ExecClusterInfo
        {
            Server = server,
            TlsServerName = tlsServerName,
            InsecureSkipTlsVerify = insecure,
            CertificateAuthorityPem = caPem,
            ProxyUrl = cluster.Text("proxy-url"),
            DisableCompression = cluster.Flag("disable-compression"),
            Config = config,
        };
    }

    // As client-go: a bare name is looked up on PATH; a path is relative to the kubeconfig, not the working directory.
    private static string Command(string command, string folder) =>
        command.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal) && !Path.IsPathRooted(command)
            ? Path.GetFullPath(Path.Combine(folder, command))
            : command;

    private static string ApiVersion(YamlFields exec) => exec.RequiredText("apiVersion") switch
    {
        ExecPluginSpec.V1 => ExecPluginSpec.V1,
        ExecPluginSpec.V1Beta1 => ExecPluginSpec.V1Beta1,
        V1Alpha1 => throw exec.Error("apiVersion", $"{V1Alpha1} was removed in Kubernetes 1.24; use {ExecPluginSpec.V1} (or {ExecPluginSpec.V1Beta1}) if the plugin supports it"),
        var other => throw exec.Error("apiVersion", $"'{other}' is not supported; use {ExecPluginSpec.V1} or {ExecPluginSpec.V1Beta1}"),
    };

    // The mode only decides whether the plugin may ask someone; this process never has a terminal, so it never may.
    private static void InteractiveMode(YamlFields exec, string apiVersion)
    {
        switch (exec.Text("interactiveMode"))
        {
            case null or "":
                if (apiVersion == ExecPluginSpec.V1)
                {
                    throw exec.Error("interactiveMode", $"is required with {ExecPluginSpec.V1} (kubectl refuses it too); set Never or IfAvailable");
                }

                break; // v1beta1 defaults to IfAvailable
            case "Never" or "IfAvailable":
                break;
            case "Always":
                throw exec.Error("interactiveMode", "is Always, but the operator has no terminal for the plugin to ask on; set Never or IfAvailable (and log in beforehand if the plugin needs a login)");
            case var other:
                throw exec.Error("interactiveMode", $"must be Never, IfAvailable or Always, not '{other}'");
        }
    }
}
