using Microsoft.Extensions.Logging;

namespace RecOperator.Operator.Autoscaling.Loop;

public sealed partial class AutoscalerLoop
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "autoscaling {Model} failed this sync; its last plan stays")]
    private static partial void LogSyncFailed(ILogger logger, string model, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "autoscaler decided for {Model}: {Change}: {Reasons}")]
    private static partial void LogDecision(ILogger logger, string model, string change, string reasons);

    [LoggerMessage(Level = LogLevel.Warning, Message = "recording an Event for {Model} failed")]
    private static partial void LogEventFailed(ILogger logger, string model, Exception error);
}
