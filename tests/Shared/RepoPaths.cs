namespace RecOperator.Tests.Shared;

/// <summary>Where the repository and the shared folder beside it are, found from the test binaries upwards.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The repository root (the folder holding RecOperator.sln).</summary>
    public static string Root => RootPath.Value;

    /// <summary>The shared folder beside the checkout (docs, k8s/swagger.json), as CI has it.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RecOperator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"RecOperator.sln not found above {AppContext.BaseDirectory}");
    }
}
