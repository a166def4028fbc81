using System.Text.RegularExpressions;

namespace RecOperator.DevCluster.Validation;

/// <summary>
/// The name rules of Kubernetes objects, one place for each: qualified names (`prefix/name` with an optional DNS
/// subdomain prefix: label and annotation keys, finalizers), DNS subdomains (object names, key prefixes), DNS labels and label
/// values (stored labels and label selectors alike). The messages are the real server's, so clients see the same text.
/// </summary>
public static partial class NameRules
{
    private const string NameFormat = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    /// <summary>At most 253 characters of lowercase RFC 1123 labels joined by dots.</summary>
    public static bool IsDnsSubdomain(string value) => value.Length <= 253 && DnsSubdomain().IsMatch(value);

    /// <summary>At most 63 lowercase alphanumerics and '-', starting and ending with an alphanumeric (namespace, container and volume names).</summary>
    public static bool IsDnsLabel(string value) => value.Length <= 63 && DnsLabel().IsMatch(value);

    /// <summary>At most 63 lowercase alphanumerics and '-', starting with a letter and ending with an alphanumeric (Service names).</summary>
    public static bool IsDns1035Label(string value) => value.Length <= 63 && Dns1035Label().IsMatch(value);

    /// <summary>Empty, or at most 63 alphanumerics, '-', '_' and '.', starting and ending with an alphanumeric.</summary>
    public static bool IsLabelValue(string value) => value.Length == 0 || (value.Length <= 63 && NamePart().IsMatch(value));

    /// <summary>The real server's words for a label value that does not match the pattern.</summary>
    public const string LabelValueFormatMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    /// <summary>What is wrong with a label value (a node selector's, a toleration's), in the real server's words, or null.</summary>
    public static string? LabelValueProblem(string value) =>
        value.Length > 63 ? "must be no more than 63 characters"
        : IsLabelValue(value) ? null
        : LabelValueFormatMessage;

    /// <summary>What is wrong with <paramref name="value"/>, or null when it is a valid qualified name.</summary>
    public static string? QualifiedNameProblem(string value)
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
            if (!IsDnsSubdomain(prefix))
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

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035Label();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
