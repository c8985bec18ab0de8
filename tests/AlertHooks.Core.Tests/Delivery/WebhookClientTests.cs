using System.Text;
using AlertHooks.Delivery;
using Xunit;

namespace AlertHooks.Tests.Delivery;

public class WebhookClientTests
{
    private static AlertPolicy Policy(string url, string body, IDictionary<string, string>? headers = null) =>
        new("ops-slack", new[] { AlertEventType.JobFailure }, url, body, headers);

    [Fact]
    public async Task TheRenderedBytesReachTheReceiverAsJsonUtf8()
    {
        using var receiver = new AlertReceiver();
        var policy = Policy(receiver.Url + "hooks/ops", """{"text":"{{alert_summary}} – {{failure_message}}"}""",
            new Dictionary<string, string> { ["Authorization"] = "Bearer sentinel-token-123" });
        var request = DeliveryPreparer.Prepare(policy, SampleEvents.Create(AlertEventType.JobFailure), new RenderSettings());

        var result = await new WebhookClient().SendAsync(request, CancellationToken.None);

        var received = Assert.Single(receiver.Requests);
        Assert.Equal("POST", received.Method);
        Assert.Equal("/hooks/ops", received.Path);
        Assert.Equal("application/json; charset=utf-8", received.ContentType);
        Assert.Equal("Bearer sentinel-token-123", received.Headers["Authorization"]);
        var expected = "{\"text\":\"Job daily_etl failed – Step 'load_data' failed: ConnectionError: could not reach warehouse\"}";
        Assert.Equal(Encoding.UTF8.GetBytes(expected), received.BodyBytes);

        Assert.True(result.Succeeded);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal(1, result.Attempts);
        Assert.Equal("ops-slack", result.PolicyName);
        Assert.Equal(policy.Id, result.PolicyId);
        Assert.Equal(receiver.Url + "hooks/ops", result.Endpoint);
        Assert.True(result.Duration > TimeSpan.Zero);
    }

    [Fact]
    public async Task AFailedStatusIsReportedWithTheTargetsOwnText()
    {
        using var receiver = new AlertReceiver(responses: new[] { new ReceiverResponse(400) { Body = "invalid_payload" } });
        var request = DeliveryPreparer.Prepare(Policy(receiver.Url, """{"text":"x"}"""), SampleEvents.Create(AlertEventType.JobFailure), new RenderSettings());

        var result = await new WebhookClient().SendAsync(request, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(400, result.StatusCode);
        Assert.Contains("invalid_payload", result.Error);
    }

    [Fact]
    public async Task ADroppedConnectionIsAConnectionFailure()
    {
        using var receiver = new AlertReceiver(responses: new[] { ReceiverResponse.Dropped() });
        var request = DeliveryPreparer.Prepare(Policy(receiver.Url, """{"text":"x"}"""), SampleEvents.Create(AlertEventType.JobFailure), new RenderSettings());

        var result = await new WebhookClient().SendAsync(request, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Null(result.StatusCode);
        Assert.StartsWith("Connection failed", result.Error);
    }

    [Theory]
    [InlineData("http://example.com/hook")]
    [InlineData("http://10.0.0.8/hook")]
    public void PlainHttpIsRefusedExceptOnLoopback(string url)
    {
        var error = Assert.Throws<DeliveryValidationException>(() =>
            DeliveryPreparer.Prepare(Policy(url, """{"text":"x"}"""), SampleEvents.Create(AlertEventType.JobFailure), new RenderSettings()));

        Assert.Equal("InsecureUrl", error.Code);
    }

    [Theory]
    [InlineData("value\r\nX-Injected: 1")]
    [InlineData("value\nmore")]
    [InlineData("nul\0")]
    public void HeaderValuesWithLineBreaksAreRefusedNamingTheHeader(string value)
    {
        var error = Assert.Throws<DeliveryValidationException>(() => DeliveryPreparer.Prepare(
            Policy("https://example.com/hook", """{"text":"x"}""", new Dictionary<string, string> { ["X-Api-Key"] = value }),
            SampleEvents.Create(AlertEventType.JobFailure), new RenderSettings()));

        Assert.Equal("InvalidHeaderValue", error.Code);
        Assert.Contains("X-Api-Key", error.Message);
        Assert.DoesNotContain(value, error.Message);
    }

    [Fact]
    public void APayloadTheTargetWouldRefuseIsStoppedBeforeSendingWithItsPath()
    {
        var policy = Policy("https://hooks.slack.com/services/T0/B0/SECRETPATH",
            """{"text":"{{alert_summary}}","blocks":[{"type":"header","text":{"type":"mrkdwn","text":"{{alert_summary}}"}}]}""");

        var error = Assert.Throws<TemplateException>(() =>
            DeliveryPreparer.Prepare(policy, SampleEvents.Create(AlertEventType.JobFailure), new RenderSettings()));

        var refusal = Assert.Single(error.Diagnostics);
        Assert.Equal("Slack.HeaderNotPlainText", refusal.Code);
        Assert.Equal("$.blocks[0].text.type", refusal.Path);
        Assert.DoesNotContain("SECRETPATH", error.Message);
    }
}
