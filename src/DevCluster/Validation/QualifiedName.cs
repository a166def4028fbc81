using System.Text.RegularExpressions;

namespace RecOperator.DevCluster.Validation;

/// <summary>
/// Kubernetes qualified names (`prefix/name` with an optional DNS subdomain prefix): the keys of labels and
/// annotations and finalizer names. The messages are the real server's, so clients see the same text.
/// </summary>
public static partial class QualifiedName
{
    private const string NameFormat = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    /// <summary>What is wrong with <paramref name="value"/>, or null when it is a valid qualified name.</summary>
    public static string? Problem(string value)
    {
        var parts = value.Split('/');
        if (parts.Length > 2)
        {
            return $"a qualified name {NameFormat} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
        }
        var name = parts[^1];
        if (parts.Length == 2)
        {
            var prefix = parts[0];
            if (prefix.Length == 0)
            {
                return "prefix part must be non-empty";
            }
            if (prefix.Length > 253 || !DnsSubdomain().IsMatch(prefix))
            {
                return "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
            }
        }
        return name.Length == 0 ? "name part must be non-empty"
            : name.Length > 63 ? "name part must be no more than 63 characters"
            : !NamePart().IsMatch(name) ? $"name part {NameFormat}"
            : null;
    }

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex NamePart();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
