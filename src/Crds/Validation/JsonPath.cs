namespace RecOperator.Crds.Validation;

/// <summary>Builds the field paths errors are reported on, in the form Kubernetes uses: <c>spec.variants[1].name</c>.</summary>
public static class JsonPath
{
    public static string Child(string parent, string name) => parent.Length == 0 ? name : $"{parent}.{name}";

    public static string Index(string parent, int index) => $"{parent}[{index}]";
}
