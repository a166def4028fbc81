namespace RecOperator.Kube.Tests;

/// <summary>Locates the repository (and the shared schema next to it) from the test's output folder.</summary>
internal static class TestRepository
{
    public static string Root { get; } = FindRoot();

    public static string SwaggerPath
    {
        get
        {
            var beside = Path.GetFullPath(Path.Combine(Root, "..", "shared", "k8s", "swagger.json"));
            return File.Exists(beside) ? beside : Path.Combine(Root, "shared", "k8s", "swagger.json");
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RecOperator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("RecOperator.sln not found above " + AppContext.BaseDirectory);
    }
}
