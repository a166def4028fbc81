using System.Text;

namespace RecOperator.DevCluster.Hosting;

/// <summary>Writes a kubeconfig that kubectl and the project's client use as is.</summary>
public static class KubeconfigWriter
{
    public static string Render(Uri server, string? caPem, string? token)
    {
        var text = new StringBuilder();
        text.AppendLine("apiVersion: v1");
        text.AppendLine("kind: Config");
        text.AppendLine("clusters:");
        text.AppendLine("- name: devcluster");
        text.AppendLine("  cluster:");
        text.AppendLine($"    server: {server.ToString().TrimEnd('/')}");
        if (caPem is not null)
        {
            text.AppendLine($"    certificate-authority-data: {Convert.ToBase64String(Encoding.UTF8.GetBytes(caPem))}");
        }
        text.AppendLine("users:");
        text.AppendLine("- name: devcluster-admin");
        text.AppendLine(token is null ? "  user: {}" : $"  user:\n    token: {token}");
        text.AppendLine("contexts:");
        text.AppendLine("- name: devcluster");
        text.AppendLine("  context:");
        text.AppendLine("    cluster: devcluster");
        text.AppendLine("    user: devcluster-admin");
        text.AppendLine("    namespace: default");
        text.AppendLine("current-context: devcluster");
        return text.ToString();
    }

    /// <summary>Written to a temp file and renamed, so a reader never sees half a kubeconfig.</summary>
    public static async Task WriteAsync(string path, string content, CancellationToken ct)
    {
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, content, ct).ConfigureAwait(false);
        PrivateFile.Restrict(temp);
        File.Move(temp, path, overwrite: true);
    }
}
