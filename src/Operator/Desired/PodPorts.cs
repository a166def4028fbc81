namespace RecOperator.Operator.Desired;

/// <summary>The ports an inference pod listens on, and the names Services and probes refer to them by.</summary>
public static class PodPorts
{
    public const int Http = 8080;
    public const int Grpc = 8081;
    public const string HttpName = "http";
    public const string GrpcName = "grpc";
}
