namespace RecOperator.Demo.Setup;

/// <summary>
/// An exclusive lock on a folder, held until the returned handle is disposed: a `.lock` file opened with
/// FileShare.None, which .NET takes as an advisory flock on Unix, so a second caller waits whether it is in this process
/// (two end-to-end fleets starting side by side) or in another (`recop demo` while the tests run).
/// </summary>
public static class FolderLock
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(1);

    // A build under the lock takes seconds; this long means a lock file that cannot be opened for another reason.
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(5);

    public static async Task<IDisposable> AcquireAsync(string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, ".lock");
        var retry = FirstRetry;
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (TimeProvider.System.GetElapsedTime(started) < GiveUpAfter)
            {
                // Held by someone else; whatever they build is there when they let go. Past GiveUpAfter the
                // IOException, which names the lock file, goes to the caller.
                await Task.Delay(retry, cancellationToken).ConfigureAwait(false);
                retry = retry * 2 < LongestRetry ? retry * 2 : LongestRetry;
            }
        }
    }
}
