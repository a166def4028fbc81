using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Storage;

/// <summary>
/// One object as committed: immutable UTF-8 JSON, so readers share it without locks or copies and lists
/// can stream it straight out. <see cref="Parse"/> gives a private mutable copy.
/// </summary>
public sealed record StoredObject(string Namespace, string Name, long ResourceVersion, byte[] Json)
{
    public string Key => KeyOf(Namespace, Name);

    public JsonObject Parse() => JsonTree.ParseObject(Json);

    /// <summary>Keys sort like etcd paths: by namespace, then name.</summary>
    public static string KeyOf(string ns, string name) => $"{ns}/{name}";
}
