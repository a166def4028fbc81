namespace RecOperator.Crds;

/// <summary>The API group and version of the project's resources.</summary>
public static class ApiGroup
{
    public const string Name = "serving.recoperator.io";

    public const string Version = "v1alpha1";

    public const string ApiVersion = Name + "/" + Version;

    /// <summary>The kubectl category both kinds belong to (<c>kubectl get rec</c>).</summary>
    public const string Category = "rec";
}
