using RecOperator.Tests.Shared;

namespace RecOperator.Packaging.Tests;

/// <summary>
/// scripts/trx-failures.awk prints why tests failed just above the totals, because CI keeps only the end of the output
/// (a failure once reached CI with its name but not its message). Run here on a TRX shaped as `dotnet test` writes it.
/// </summary>
public sealed class TrxFailuresTests
{
    private const string Trx = """
        <?xml version="1.0" encoding="utf-8"?>
        <TestRun>
          <Results>
            <UnitTestResult testName="A.B.Passes" outcome="Passed" />
            <UnitTestResult testName="A.B.Fails(source: &quot;x&quot;)" outcome="Failed">
              <Output>
                <ErrorInfo>
                  <Message>Expected status to be NotFound {value: 404}, but found OK {value: 200}.&#xD;
        because &lt;the log&gt; &amp; more</Message>
                  <StackTrace>   at A.B.Fails()</StackTrace>
                </ErrorInfo>
              </Output>
            </UnitTestResult>
            <UnitTestResult testName="A.B.Other" outcome="Failed"><Output><ErrorInfo><Message>one line</Message></ErrorInfo></Output></UnitTestResult>
          </Results>
        </TestRun>
        """;

    [Fact]
    public async Task Awk_TrxWithTwoFailures_PrintsEachNameAndItsUnescapedMessageButNotThePassOrTheStack()
    {
        var file = Path.Combine(Path.GetTempPath(), $"trx-failures-{Guid.NewGuid():N}.trx");
        await File.WriteAllTextAsync(file, Trx);
        try
        {
            var result = await ProcessRunner.RunAsync("awk", ["-f", "scripts/trx-failures.awk", file], RepoPaths.Root, TimeSpan.FromSeconds(30));

            result.ExitCode.Should().Be(0, result.ToString());
            result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(
                "  A.B.Fails(source: \"x\"):",
                "    Expected status to be NotFound {value: 404}, but found OK {value: 200}.",
                "    because <the log> & more",
                "  A.B.Other:",
                "    one line");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
