namespace RecOperator.Kube.Tests.Fakes;

/// <summary>A one-context kubeconfig whose user is an exec plugin, written as YAML so the loader reads it as it reads a user's.</summary>
public static class ExecKubeconfig
{
    /// <param name="exec">The lines under <c>user.exec</c>, unindented.</param>
    /// <param name="cluster">More lines under <c>cluster</c> (after <c>server</c>), unindented.</param>
    public static string Yaml(Uri server, string exec, string cluster = "") => $"""
        apiVersion: v1
        kind: Config
        current-context: dev
        contexts:
        - name: dev
          context: {"{"}cluster: c1, user: u1{"}"}
        clusters:
        - name: c1
          cluster:
            server: {server.ToString().TrimEnd('/')}
        {Indent(cluster, 4)}
        users:
        - name: u1
          user:
            exec:
        {Indent(exec, 6)}
        """;

    /// <summary>Writes the kubeconfig as <c>config</c> in <paramref name="folder"/> and returns its path.</summary>
    public static string Write(string folder, Uri server, string exec, string cluster = "")
    {
        var path = Path.Combine(folder, "config");
        File.WriteAllText(path, Yaml(server, exec, cluster));
        return path;
    }

    private static string Indent(string lines, int spaces) =>
        string.Join('\n', lines.ReplaceLineEndings("\n").Split('\n').Select(line => line.Length == 0 ? line : new string(' ', spaces) + line));
}
