namespace RecOperator.Kube.Config;

/// <summary>Supplies the bearer token for each request; implementations may re-read it when it rotates.</summary>
public interface ITokenSource
{
    /// <summary>
    /// The token for the next request; null sends none (an exec plugin that answered with a client certificate only).
    /// </summary>
    ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken);
}
