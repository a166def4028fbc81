namespace RecOperator.DevCluster.Hosting;

/// <summary>Keys, tokens and kubeconfigs are readable by their owner only.</summary>
internal static class PrivateFile
{
    public static void Restrict(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
