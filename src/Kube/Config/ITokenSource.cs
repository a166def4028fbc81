namespace RecOperator.Kube.Config;

/// <summary>Supplies the bearer token for each request; implementations may re-read it when it rotates.</summary>
public interface ITokenSource
{
    ValueTask<string> GetTokenAsync(CancellationToken cancellationToken);
}
