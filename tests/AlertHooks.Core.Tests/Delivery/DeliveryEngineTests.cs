using System.Globalization;
using AlertHooks.Delivery;
using Xunit;

namespace AlertHooks.Tests.Delivery;

public class DeliveryEngineTests
{
    [Fact]
    public async Task A429WithRetryAfterTwoSecondsWaitsAtLeastTwoSecondsAndNoMoreAttemptsThanNeeded()
    {
        var rig = new FakeClockRig();
        rig.Webhook.Respond(429, "slow down", ("Retry-After", "2"));

        var result = await rig.Deliver(rig.Engine(), FakeClockRig.Request());

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Attempts);
        var calls = rig.Webhook.Calls;
        Assert.Equal(2, calls.Count);
        Assert.True(calls[1].At - calls[0].At >= TimeSpan.FromSeconds(2), $"second attempt after {(calls[1].At - calls[0].At).TotalSeconds} s");
    }

    [Fact]
    public async Task AnHttpDateRetryAfterIsHonoured()
    {
        var rig = new FakeClockRig();
        var retryAt = rig.Time.GetUtcNow().AddSeconds(7).ToString("r", CultureInfo.InvariantCulture);
        rig.Webhook.Respond(503, null, ("Retry-After", retryAt));

        var result = await rig.Deliver(rig.Engine(), FakeClockRig.Request());

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Attempts);
        var calls = rig.Webhook.Calls;
        Assert.True(calls[1].At - calls[0].At >= TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task AHugeRetryAfterEndsTheDeliveryAsFailedForNowWithTheReason()
    {
        var rig = new FakeClockRig();
        rig.Webhook.Respond(429, "rate_limited", ("Retry-After", "3600"));

        var result = await rig.Deliver(rig.Engine(new DeliveryOptions { MaxRetryAfter = TimeSpan.FromSeconds(60) }), FakeClockRig.Request());

        Assert.False(result.Succeeded);
        Assert.Equal(1, result.Attempts);
        Assert.Single(rig.Webhook.Calls);
        Assert.Equal(DeliveryFailure.RetryAfterTooLong, result.Failure);
        Assert.Equal(429, result.StatusCode);
        Assert.Contains("3600 s", result.Error);
        Assert.Contains("60 s allowed", result.Error);
        Assert.Contains("rate_limited", result.Error);
    }

    [Fact]
    public async Task DiscordsBodyRetryAfterWinsWhenLargerAndDiscordIsAskedToWait()
    {
        var rig = new FakeClockRig();
        rig.Webhook.Respond(429, """{"message":"You are being rate limited.","retry_after":3.5,"global":false}""", ("Retry-After", "1"));

        var result = await rig.Deliver(rig.Engine(), FakeClockRig.Request(target: TargetKind.Discord, body: """{"content":"{{alert_summary}}"}"""));

        Assert.True(result.Succeeded);
        var calls = rig.Webhook.Calls;
        Assert.Equal(2, calls.Count);
        Assert.True(calls[1].At - calls[0].At >= TimeSpan.FromSeconds(3.5));
        Assert.All(calls, c => Assert.Equal("?wait=true", c.Url.Query));
    }

    [Fact]
    public async Task TwoServerErrorsThenSuccessIsOneSuccessWithThreeAttempts()
    {
        var rig = new FakeClockRig();
        rig.Webhook.Respond(500).Respond(500).Respond(200, "ok");

        var result = await rig.Deliver(rig.Engine(), FakeClockRig.Request());

        Assert.True(result.Succeeded);
        Assert.Equal(3, result.Attempts);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal(DeliveryFailure.None, result.Failure);
        Assert.Null(result.Error);
        Assert.Equal(3, rig.Webhook.Calls.Count);
    }

    [Fact]
    public async Task BackoffIsExponentialWithFullJitter()
    {
        var rig = new FakeClockRig(jitter: 1.0);
        rig.Webhook.Respond(500).Respond(502).Respond(504);

        var result = await rig.Deliver(rig.Engine(new DeliveryOptions { BaseDelay = TimeSpan.FromSeconds(1), TotalTimeout = TimeSpan.FromSeconds(60) }), FakeClockRig.Request());

        Assert.True(result.Succeeded);
        var at = rig.Webhook.Calls.Select(c => c.At).ToArray();
        // With the random draw at its top, the waits are the ceilings 1 s, 2 s, 4 s (the fake clock moves in 50 ms steps).
        Assert.InRange((at[1] - at[0]).TotalSeconds, 1, 1.5);
        Assert.InRange((at[2] - at[1]).TotalSeconds, 2, 2.5);
        Assert.InRange((at[3] - at[2]).TotalSeconds, 4, 4.5);
    }

    [Theory]
    [InlineData(400, "invalid_payload", DeliveryFailure.InvalidPayload)]
    [InlineData(403, "action_prohibited", DeliveryFailure.Unauthorized)]
    [InlineData(404, "channel_not_found", DeliveryFailure.NotFound)]
    [InlineData(410, "channel_is_archived", DeliveryFailure.NotFound)]
    public async Task ClientErrorsAreNotRetriedAndShowSlacksOwnCode(int status, string code, DeliveryFailure failure)
    {
        var rig = new FakeClockRig();
        rig.Webhook.Respond(status, code);

        var result = await rig.Deliver(rig.Engine(), FakeClockRig.Request(target: TargetKind.Slack));

        Assert.False(result.Succeeded);
        Assert.Equal(1, result.Attempts);
        Assert.Single(rig.Webhook.Calls);
        Assert.Equal(status, result.StatusCode);
        Assert.Equal(failure, result.Failure);
        Assert.Contains(code, result.Error);
        Assert.StartsWith($"HTTP {status}", result.Error);
    }

    [Fact]
    public async Task ADiscord404ShowsDiscordsMessageAndMarksTheWebhookDeadForTheSession()
    {
        var rig = new FakeClockRig();
        rig.Webhook.Respond(404, """{"message": "Unknown Webhook", "code": 10015}""");
        var engine = rig.Engine();

        var first = await rig.Deliver(engine, FakeClockRig.Request(target: TargetKind.Discord));
        var second = await rig.Deliver(engine, FakeClockRig.Request(target: TargetKind.Discord));

        Assert.Contains("Unknown Webhook (code 10015)", first.Error);
        Assert.Equal(DeliveryFailure.NotFound, first.Failure);
        Assert.Single(rig.Webhook.Calls);
        Assert.False(second.Succeeded);
        Assert.Equal(0, second.Attempts);
        Assert.Equal(DeliveryFailure.EndpointDead, second.Failure);
        Assert.Contains("Unknown Webhook", second.Error);
    }

    [Fact]
    public async Task PagerDutyErrorsAreShown()
    {
        var rig = new FakeClockRig();
        rig.Webhook.Respond(400, """{"status":"invalid event","message":"Event object is invalid","errors":["Length of 'routing_key' is incorrect (should be 32 characters)"]}""");

        var result = await rig.Deliver(rig.Engine(), FakeClockRig.Request(target: TargetKind.PagerDuty));

        Assert.Contains("Event object is invalid - Length of 'routing_key' is incorrect", result.Error);
    }

    [Fact]
    public async Task AHangingEndpointIsCutByTheAttemptTimeout()
    {
        var rig = new FakeClockRig();
        rig.Webhook.HangForever = true;

        var result = await rig.Deliver(rig.Engine(new DeliveryOptions { AttemptTimeout = TimeSpan.FromSeconds(5), MaxAttempts = 2, TotalTimeout = TimeSpan.FromSeconds(60) }), FakeClockRig.Request());

        Assert.False(result.Succeeded);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(DeliveryFailure.Timeout, result.Failure);
        Assert.Null(result.StatusCode);
        Assert.Contains("No response within 5 s", result.Error);
        Assert.Equal(2, rig.Webhook.Calls.Count);
    }

    [Fact]
    public async Task TheTotalTimeoutBoundsAllAttempts()
    {
        var rig = new FakeClockRig();
        rig.Webhook.HangForever = true;

        var result = await rig.Deliver(rig.Engine(new DeliveryOptions { AttemptTimeout = TimeSpan.FromSeconds(10), MaxAttempts = 10, TotalTimeout = TimeSpan.FromSeconds(25) }), FakeClockRig.Request());

        Assert.Equal(DeliveryFailure.Timeout, result.Failure);
        Assert.InRange(result.Attempts, 2, 3);
        Assert.InRange(result.Duration.TotalSeconds, 20, 26);
    }

    [Fact]
    public async Task TheLastAttemptIsCutToWhatIsLeftOfTheTotalTimeout()
    {
        var rig = new FakeClockRig();
        rig.Webhook.HangForever = true;

        var result = await rig.Deliver(rig.Engine(new DeliveryOptions { AttemptTimeout = TimeSpan.FromSeconds(10), MaxAttempts = 5, TotalTimeout = TimeSpan.FromSeconds(15), BaseDelay = TimeSpan.FromSeconds(1) }), FakeClockRig.Request());

        Assert.Equal(DeliveryFailure.Timeout, result.Failure);
        Assert.Equal(2, result.Attempts);
        // The second attempt started after 11 s and had 4 s, not its own 10.
        Assert.InRange(result.Duration.TotalSeconds, 14.9, 16);
        Assert.Contains("total time-out of 15 s passed", result.Error);
        Assert.Equal(2, rig.Webhook.Calls.Count);
    }

    [Fact]
    public async Task ARetryWaitingForItsPaceIsCutAtTheTotalTimeout()
    {
        var rig = new FakeClockRig();
        // One request per 20 s: the retry's slot comes after the delivery's 5 s are up.
        rig.Endpoints.Pacing[TargetKind.Generic] = new PacingProfile(0.05);
        rig.Webhook.Respond(500).Respond(200);

        var result = await rig.Deliver(rig.Engine(new DeliveryOptions { AttemptTimeout = TimeSpan.FromSeconds(2), MaxAttempts = 3, TotalTimeout = TimeSpan.FromSeconds(5), BaseDelay = TimeSpan.FromMilliseconds(100) }), FakeClockRig.Request());

        Assert.False(result.Succeeded);
        Assert.Equal(DeliveryFailure.Timeout, result.Failure);
        Assert.Equal(1, result.Attempts);
        Assert.Single(rig.Webhook.Calls);
        Assert.InRange(result.Duration.TotalSeconds, 4.9, 6);
        Assert.Contains("total time-out of 5 s passed", result.Error);
    }

    [Fact]
    public async Task ConnectionFailuresAreRetried()
    {
        var rig = new FakeClockRig();
        rig.Webhook.Refuse().Refuse();

        var result = await rig.Deliver(rig.Engine(), FakeClockRig.Request());

        Assert.True(result.Succeeded);
        Assert.Equal(3, result.Attempts);
    }

    [Fact]
    public async Task CancellationStopsTheAttemptAtOnceAndNothingIsRetriedAfter()
    {
        var rig = new FakeClockRig();
        rig.Webhook.HangForever = true;
        using var cancellation = new CancellationTokenSource();
        var engine = rig.Engine();

        var delivery = engine.DeliverAsync(FakeClockRig.Request(), cancellation.Token);
        await Task.Delay(20);
        cancellation.Cancel();
        var result = await delivery.WaitAsync(TimeSpan.FromSeconds(10));
        rig.Time.Advance(TimeSpan.FromMinutes(5));
        await Task.Delay(20);

        Assert.Equal(DeliveryFailure.Cancelled, result.Failure);
        Assert.False(result.Succeeded);
        Assert.Single(rig.Webhook.Calls);
    }

    [Fact]
    public async Task ThirtyAlertsToOneSlackEndpointArePacedAndEarnNo429FromAnEnforcingReceiver()
    {
        var rig = new FakeClockRig();
        rig.Webhook.RateLimit = new ReceiverRateLimit(1, PacingProfile.Slack.Burst, rig.Time);
        var engine = rig.Engine(new DeliveryOptions { MaxAttempts = 1 });

        var results = await rig.Run(Task.WhenAll(Enumerable.Range(0, 30).Select(_ => engine.DeliverAsync(FakeClockRig.Request(target: TargetKind.Slack), CancellationToken.None))));

        Assert.All(results, r => Assert.True(r.Succeeded, r.Error));
        var calls = rig.Webhook.Calls;
        Assert.Equal(30, calls.Count);
        Assert.DoesNotContain(calls, c => c.Status == 429);
        Assert.Equal(0, rig.Webhook.RateLimit.Rejected);
        // Two at once (Slack's small burst), then one per second.
        for (var i = 2; i < calls.Count; i++)
        {
            Assert.True(calls[i].At - calls[i - 1].At >= TimeSpan.FromSeconds(0.99), $"request {i} came {(calls[i].At - calls[i - 1].At).TotalSeconds} s after the previous one");
        }

        Assert.InRange((calls[^1].At - calls[0].At).TotalSeconds, 28, 60);
    }

    [Fact]
    public async Task WithoutPacingTheSameReceiverAnswers429()
    {
        var rig = new FakeClockRig();
        rig.Webhook.RateLimit = new ReceiverRateLimit(1, PacingProfile.Slack.Burst, rig.Time);
        var engine = rig.Engine(new DeliveryOptions { MaxAttempts = 1 });

        var results = await rig.Run(Task.WhenAll(Enumerable.Range(0, 10).Select(_ => engine.DeliverAsync(FakeClockRig.Request(), CancellationToken.None))));

        Assert.Contains(results, r => r.Failure == DeliveryFailure.RateLimited);
    }

    [Fact]
    public async Task TeamsIsPacedToFourPerSecond()
    {
        var rig = new FakeClockRig();
        var engine = rig.Engine();

        await rig.Run(Task.WhenAll(Enumerable.Range(0, 12).Select(_ => engine.DeliverAsync(FakeClockRig.Request(target: TargetKind.Teams), CancellationToken.None))), stepMs: 10);

        var at = rig.Webhook.Calls.Select(c => c.At).ToArray();
        for (var i = 4; i < at.Length; i++)
        {
            Assert.True(at[i] - at[i - 4] >= TimeSpan.FromSeconds(1), $"requests {i - 4}..{i} within {(at[i] - at[i - 4]).TotalSeconds} s");
        }
    }

    [Fact]
    public async Task DiscordWaitsWhenItsRateLimitBucketIsEmpty()
    {
        var rig = new FakeClockRig();
        rig.Webhook.Respond(200, "{}", ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset-After", "2.5"));
        var engine = rig.Engine();

        await rig.Run(Task.WhenAll(Enumerable.Range(0, 2).Select(_ => engine.DeliverAsync(FakeClockRig.Request(target: TargetKind.Discord), CancellationToken.None))));

        var calls = rig.Webhook.Calls;
        Assert.True(calls[1].At - calls[0].At >= TimeSpan.FromSeconds(2.5));
    }

    [Fact]
    public async Task RepeatedFailuresOpenTheCircuitOfThatEndpointOnly()
    {
        var rig = new FakeClockRig();
        rig.Webhook.StatusFor = url => url.AbsolutePath == "/down" ? 500 : 200;

        var engine = rig.Engine(new DeliveryOptions { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(100) });
        var failing = new List<DeliveryResult>();
        for (var i = 0; i < 4; i++)
        {
            failing.Add(await rig.Deliver(engine, FakeClockRig.Request("http://127.0.0.1:9/down")));
        }

        var other = await rig.Deliver(engine, FakeClockRig.Request("http://127.0.0.1:9/up"));

        Assert.Equal(DeliveryFailure.ServerError, failing[0].Failure);
        Assert.Contains(failing, r => r.Failure == DeliveryFailure.CircuitOpen);
        var open = failing.Last();
        Assert.Equal(DeliveryFailure.CircuitOpen, open.Failure);
        Assert.Contains("circuit is open", open.Error);
        Assert.True(other.Succeeded, other.Error);
    }

    [Fact]
    public async Task SignaturesVerifyWithTheReferenceLibraryAndTheIdIsStableAcrossRetries()
    {
        var rig = new FakeClockRig(start: DateTimeOffset.UtcNow);
        var secret = "whsec_" + Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        rig.Webhook.Respond(500);
        var request = FakeClockRig.Request(signingSecret: secret);

        var result = await rig.Deliver(rig.Engine(), request);

        Assert.True(result.Succeeded);
        var calls = rig.Webhook.Calls;
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal(request.DeliveryId, c.Headers["webhook-id"]));
        Assert.StartsWith("msg_", request.DeliveryId);
        var reference = new StandardWebhooks.StandardWebhook(secret);
        foreach (var call in calls)
        {
            Assert.StartsWith("v1,", call.Headers["webhook-signature"]);
            var headers = new Microsoft.AspNetCore.Http.HeaderDictionary
            {
                ["webhook-id"] = call.Headers["webhook-id"],
                ["webhook-timestamp"] = call.Headers["webhook-timestamp"],
                ["webhook-signature"] = call.Headers["webhook-signature"],
            };
            reference.Verify(call.Body, headers);
        }

        var tampered = new Microsoft.AspNetCore.Http.HeaderDictionary
        {
            ["webhook-id"] = calls[0].Headers["webhook-id"],
            ["webhook-timestamp"] = calls[0].Headers["webhook-timestamp"],
            ["webhook-signature"] = calls[0].Headers["webhook-signature"],
        };
        Assert.ThrowsAny<Exception>(() => reference.Verify(calls[0].Body + " ", tampered));
    }

    [Fact]
    public void AMalformedSigningSecretIsRefusedBeforeSendingWithoutShowingIt()
    {
        var error = Assert.Throws<DeliveryValidationException>(() => FakeClockRig.Request(signingSecret: "whsec_not*base64!"));

        Assert.Equal("InvalidSigningSecret", error.Code);
        Assert.DoesNotContain("not*base64", error.Message);
    }

    [Fact]
    public async Task TheJournalIsToldBeforeTheFirstAttemptAndAfterTheLast()
    {
        var rig = new FakeClockRig();
        rig.Webhook.Respond(500).Respond(200);
        var journal = new RecordingJournal(rig.Webhook);

        var result = await rig.Deliver(rig.Engine(journal: journal), FakeClockRig.Request());

        Assert.Equal(new[] { "begin:0", "complete:2" }, journal.Events);
        Assert.Same(result, journal.Completed);
    }

    [Fact]
    public async Task SecretsInTheUrlAndHeadersNeverReachTheResultOrTheNotes()
    {
        var rig = new FakeClockRig();
        const string sentinel = "sentinel-5b7c9d1e";
        rig.Webhook.Respond(500, $"echo {sentinel}").Respond(401, $"bad token Bearer {sentinel}");
        var request = FakeClockRig.Request($"http://127.0.0.1:9/hook?token={sentinel}", headers: new Dictionary<string, string> { ["Authorization"] = "Bearer " + sentinel });

        var result = await rig.Deliver(rig.Engine(), request);

        Assert.Equal(DeliveryFailure.Unauthorized, result.Failure);
        var visible = string.Join("\n", new[] { result.Error, result.ResponseBody, result.Endpoint, result.ToString() }.Concat(rig.Notes));
        Assert.DoesNotContain(sentinel, visible);
        Assert.Contains("bad token", visible);
    }

    [Fact]
    public async Task TheRealReceiverScriptIsFollowedOverTheSharedClient()
    {
        using var receiver = new AlertReceiver(responses: new[] { new ReceiverResponse(503), ReceiverResponse.Dropped(), new ReceiverResponse(200) });
        var engine = new DeliveryEngine(new DeliveryOptions { BaseDelay = TimeSpan.FromMilliseconds(10) }, endpoints: new EndpointPipelines());

        var result = await engine.DeliverAsync(FakeClockRig.Request(receiver.Url + "real"), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(3, result.Attempts);
        Assert.Equal(new[] { 503, 0, 200 }, receiver.Requests.Select(r => r.ResponseStatus));
    }

    private sealed class RecordingJournal : IDeliveryJournal
    {
        private readonly FakeWebhook _webhook;

        public RecordingJournal(FakeWebhook webhook) => _webhook = webhook;

        public List<string> Events { get; } = new();

        public DeliveryResult? Completed { get; private set; }

        public Task BeginAsync(DeliveryRequest request)
        {
            Events.Add($"begin:{_webhook.Calls.Count}");
            return Task.CompletedTask;
        }

        public Task CompleteAsync(DeliveryRequest request, DeliveryResult result)
        {
            Events.Add($"complete:{_webhook.Calls.Count}");
            Completed = result;
            return Task.CompletedTask;
        }
    }
}

public class DeliveryOrderTests
{
    [Fact]
    public async Task OneEndpointReceivesItsAlertsOneAtATimeInCallOrderEvenAcrossRetries()
    {
        var rig = new FakeClockRig();
        rig.Webhook.Respond(500).Respond(200);
        var engine = rig.Engine();

        var deliveries = Enumerable.Range(1, 5)
            .Select(i => engine.DeliverAsync(FakeClockRig.Request(body: "{\"n\":" + i + "}"), CancellationToken.None))
            .ToArray();
        await rig.Run(Task.WhenAll(deliveries));

        var bodies = rig.Webhook.Calls.Select(c => c.Body).ToArray();
        Assert.Equal(new[] { "{\"n\":1}", "{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}", "{\"n\":5}" }, bodies);
    }
}
