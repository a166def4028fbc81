namespace RecOperator.DevCluster.NodeAgent;

/// <summary>The checkout this binary was built from: the folder above it that holds the `recop` script and the solution.</summary>
public static class RepositoryRoot
{
    public static string Find(string? startAt = null)
    {
        for (var directory = new DirectoryInfo(startAt ?? AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "recop")) && File.Exists(Path.Combine(directory.FullName, "RecOperator.sln")))
            {
                return directory.FullName;
            }
        }
        return Directory.GetCurrentDirectory();
    }
}
