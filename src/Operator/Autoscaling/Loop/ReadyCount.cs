namespace RecOperator.Operator.Autoscaling.Loop;

/// <summary>
/// A variant's ready replicas as last counted, and since when; null when the count has not changed since the loop
/// first saw the variant (a restarted operator cannot know when it last did, and takes it as settled).
/// </summary>
public readonly record struct ReadyCount(int Ready, DateTimeOffset? Since);
