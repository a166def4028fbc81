using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RecOperator.Kube.Config.Exec;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RecOperator.Kube.Config;

/// <summary>
/// Reads a kubeconfig: the current context or a named one, its cluster (server, CA data or file,
/// insecure-skip-tls-verify, tls-server-name) and user (token, tokenFile, client certificate and key as data or
/// files, or an exec credential plugin). Relative file paths, and exec commands given as a path, are relative to the
/// kubeconfig, as kubectl resolves them. Nothing is run while loading: an exec plugin runs on the first request.
/// </summary>
public static class KubeConfigLoader
{
    /// <summary>The first file of $KUBECONFIG, else ~/.kube/config.</summary>
    public static string DefaultPath =>
        Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()
        ?? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");

    /// <param name="execOptions">How an exec credential plugin is run (timeout, clock); null: the defaults.</param>
    public static KubeClientConfig Load(string path, string? contextName = null, ExecPluginOptions? execOptions = null)
    {
        if (!File.Exists(path))
        {
            throw new KubeConfigException(path, "(file)", "does not exist");
        }

        return Parse(File.ReadAllText(path), path, contextName, execOptions);
    }

    /// <param name="execOptions">How an exec credential plugin is run (timeout, clock); null: the defaults.</param>
    public static KubeClientConfig Parse(string yaml, string path, string? contextName = null, ExecPluginOptions? execOptions = null)
    {
        var root = ReadRoot(yaml, path);
        var name = contextName ?? root.Text("current-context");
        if (string.IsNullOrEmpty(name))
        {
            throw root.Error("current-context", "is not set and no context was named");
        }

        var context = Named(root, "contexts", name).Mapping("context") ?? throw Named(root, "contexts", name).Error("context", "is required");
        var clusterEntry = Named(root, "clusters", context.RequiredText("cluster"));
        var cluster = clusterEntry.Mapping("cluster") ?? throw clusterEntry.Error("cluster", "is required");
        var userName = context.Text("user");
        var user = string.IsNullOrEmpty(userName) ? null : Named(root, "users", userName).Mapping("user");
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".";

        var server = cluster.RequiredText("server");
        if (!Uri.TryCreate(server, UriKind.Absolute, out var serverUri) || serverUri.Scheme is not ("https" or "http"))
        {
            throw cluster.Error("server", $"'{server}' is not an absolute http(s) URL");
        }

        var ca = PemSource.Read(cluster, "certificate-authority-data", "certificate-authority", folder);
        var insecure = cluster.Flag("insecure-skip-tls-verify");
        var tlsServerName = cluster.Text("tls-server-name");
        if (user is not null)
        {
            UnsupportedAuth.Check(user);
        }

        var exec = user?.Mapping("exec") is { } execFields
            ? new ExecCredentialPlugin(ExecSpecReader.Read(execFields, path, folder, () => ExecSpecReader.ClusterInfo(cluster, server, ca?.Pem, insecure, tlsServerName)), execOptions)
            : null;
        return new KubeClientConfig
        {
            Server = serverUri,
            Namespace = context.Text("namespace") is { Length: > 0 } ns ? ns : "default",
            InsecureSkipTlsVerify = insecure,
            TlsServerName = tlsServerName,
            CertificateAuthorities = ca is { } authorities ? Authorities(cluster, authorities) : null,
            Token = exec is not null ? new ExecTokenSource(exec) : user is null ? null : Token(user, folder),
            ClientCertificate = user is null ? null : ClientCertificate(user, folder),
            ExecPlugin = exec,
        };
    }

    private static YamlFields ReadRoot(string yaml, string path)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode mapping
                ? new YamlFields(path, mapping, "")
                : throw new KubeConfigException(path, "(document)", "must be a YAML mapping");
        }
        catch (YamlException e)
        {
            throw new KubeConfigException(path, $"(line {e.Start.Line}, column {e.Start.Column})", "is not valid YAML: " + e.Message);
        }
    }

    private static YamlFields Named(YamlFields root, string list, string name) =>
        root.List(list).FirstOrDefault(entry => entry.Text("name") == name)
        ?? throw root.Error(list, $"has no entry named '{name}'");

    private static ITokenSource? Token(YamlFields user, string folder)
    {
        if (user.Text("token") is { Length: > 0 } token)
        {
            return new StaticTokenSource(token);
        }

        return user.Text("tokenFile") is { Length: > 0 } file ? new FileTokenSource(System.IO.Path.Combine(folder, file)) : null;
    }

    private static X509Certificate2? ClientCertificate(YamlFields user, string folder)
    {
        var certificate = PemSource.Read(user, "client-certificate-data", "client-certificate", folder);
        var key = PemSource.Read(user, "client-key-data", "client-key", folder);
        if (certificate is null && key is null)
        {
            return null;
        }

        if (certificate is null || key is null)
        {
            throw user.Error(certificate is null ? "client-certificate-data" : "client-key-data", "a client certificate needs both the certificate and its key");
        }

        try
        {
            return X509Certificate2.CreateFromPem(certificate.Value.Pem, key.Value.Pem);
        }
        catch (CryptographicException e)
        {
            throw user.Error(certificate.Value.Field, "is not a PEM certificate matching the key: " + e.Message);
        }
    }

    private static X509Certificate2Collection Authorities(YamlFields cluster, (string Pem, string Field) ca)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(ca.Pem);
        }
        catch (CryptographicException e)
        {
            throw cluster.Error(ca.Field, "is not a PEM certificate: " + e.Message);
        }

        return collection.Count > 0 ? collection : throw cluster.Error(ca.Field, "holds no PEM certificate");
    }
}
