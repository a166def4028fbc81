namespace RecOperator.Kube.Tests.Fakes;

/// <summary>Polls a condition that background work makes true; fails the test after 10 s instead of hanging.</summary>
public static class Eventually
{
    public static async Task Until(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
