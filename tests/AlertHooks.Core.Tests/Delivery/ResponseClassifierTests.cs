using AlertHooks.Delivery;
using Xunit;

namespace AlertHooks.Tests.Delivery;

public class ResponseClassifierTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 8, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(408, true, DeliveryFailure.ServerError)]
    [InlineData(429, true, DeliveryFailure.RateLimited)]
    [InlineData(500, true, DeliveryFailure.ServerError)]
    [InlineData(502, true, DeliveryFailure.ServerError)]
    [InlineData(400, false, DeliveryFailure.InvalidPayload)]
    [InlineData(401, false, DeliveryFailure.Unauthorized)]
    [InlineData(403, false, DeliveryFailure.Unauthorized)]
    [InlineData(404, false, DeliveryFailure.NotFound)]
    [InlineData(410, false, DeliveryFailure.NotFound)]
    [InlineData(422, false, DeliveryFailure.Rejected)]
    [InlineData(302, false, DeliveryFailure.Rejected)]
    public void StatusesAreRetriedOnlyWhenTheTargetMayChangeItsMind(int status, bool retryable, DeliveryFailure failure)
    {
        var outcome = ResponseClassifier.Classify(TargetKind.Generic, status, null, null, string.Empty, Now);

        Assert.False(outcome.Succeeded);
        Assert.Equal(retryable, outcome.Retryable);
        Assert.Equal(failure, outcome.Failure);
    }

    [Fact]
    public void ARetiredTeamsConnectorsFailureIn200IsAFailure()
    {
        var outcome = ResponseClassifier.Classify(TargetKind.Teams, 200, "OK", null,
            "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429", Now);

        Assert.False(outcome.Succeeded);
        Assert.True(outcome.Retryable);
        Assert.Equal(DeliveryFailure.RateLimited, outcome.Failure);
        Assert.Contains("HTTP error 429", outcome.Describe());
    }

    [Fact]
    public void ARedirectIsNotFollowedAndSaysSo()
    {
        var outcome = ResponseClassifier.Classify(TargetKind.Generic, 301, "Moved Permanently", null, string.Empty, Now);

        Assert.Contains("redirects are not followed", outcome.Describe());
    }

    [Theory]
    [InlineData("""{"error":"invalid_token","error_description":"The token expired"}""", "The token expired")]
    [InlineData("""{"detail":"Not authenticated"}""", "Not authenticated")]
    [InlineData("""{"errors":{"text":["is required"]}}""", """{"text":["is required"]}""")]
    [InlineData("no_text\nmore", "no_text")]
    public void GenericErrorTextIsReadFromCommonShapes(string body, string expected)
    {
        Assert.Equal(expected, ResponseClassifier.ErrorText(TargetKind.Generic, body));
    }

    [Fact]
    public void RetryAfterInThePastMeansNoWait()
    {
        var value = new System.Net.Http.Headers.RetryConditionHeaderValue(Now.AddSeconds(-30));

        Assert.Equal(TimeSpan.Zero, ResponseClassifier.RetryAfterOf(value, Now));
    }
}
