namespace RecOperator.DevCluster.Auth;

/// <summary>
/// What a TokenReview learns of a token: the user and the audiences it is good for, the claims when it is a
/// service-account token (for the user's uid and extra), or why it does not authenticate.
/// </summary>
public sealed record TokenReviewOutcome(UserInfo? User, IReadOnlyList<string> Audiences, TokenClaims? Claims, string? Error)
{
    public static TokenReviewOutcome Failed(string error) => new(null, [], null, error);
}
