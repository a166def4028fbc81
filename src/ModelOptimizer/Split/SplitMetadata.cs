namespace RecOperator.ModelOptimizer.Split;

/// <summary>Metadata keys of a split artifact, read by the inference pod (docs/optimizer.md).</summary>
public static class SplitMetadata
{
    /// <summary>"user" or "candidate".</summary>
    public const string Role = "recoperator.split.role";

    /// <summary>On the candidate model: the user model's file name, beside it.</summary>
    public const string UserModel = "recoperator.split.user_model";

    /// <summary>On the candidate model: the user model's sha256; the pod refuses a user model that does not match.</summary>
    public const string UserModelSha256 = "recoperator.split.user_model_sha256";

    /// <summary>On both: the user model's outputs, which are the candidate model's user-side inputs (same names), comma-separated.</summary>
    public const string UserOutputs = "recoperator.split.user_outputs";
}
