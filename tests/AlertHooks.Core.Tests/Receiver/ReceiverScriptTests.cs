using System.Collections;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace AlertHooks.Tests.Receiver;

public class ReceiverScriptTests
{
    [Fact]
    public void AHashtableDescribesStatusHeadersBodyAndDelay()
    {
        var response = ReceiverResponse.FromDictionary(new Hashtable
        {
            ["Status"] = 429,
            ["Headers"] = new Hashtable { ["Retry-After"] = "2" },
            ["Body"] = "rate_limited",
            ["DelayMs"] = 500,
        });

        Assert.Equal(429, response.StatusCode);
        Assert.Equal("2", response.Headers["retry-after"]);
        Assert.Equal("rate_limited", response.Body);
        Assert.Equal(TimeSpan.FromMilliseconds(500), response.Delay);
    }

    [Fact]
    public void AnUnknownKeyIsNamed()
    {
        var error = Assert.Throws<FormatException>(() => ReceiverResponse.FromDictionary(new Hashtable { ["Stauts"] = 500 }));

        Assert.Contains("Stauts", error.Message);
    }

    [Fact]
    public void TheRateLimitAllowsItsBurstThenOneRequestPerInterval()
    {
        var time = new FakeTimeProvider();
        var limit = new ReceiverRateLimit(1, 2, time);

        Assert.True(limit.TryTake());
        Assert.True(limit.TryTake());
        Assert.False(limit.TryTake());
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limit.TryTake());
        Assert.False(limit.TryTake());
        Assert.Equal(2, limit.Rejected);
    }

    [Fact]
    public async Task AReceiverWithARateLimitAnswers429WithRetryAfter()
    {
        using var receiver = new AlertReceiver { RateLimit = new ReceiverRateLimit(0.001, 1) };
        using var http = new HttpClient();

        var first = await http.PostAsync(receiver.Url, new StringContent("{}"));
        var second = await http.PostAsync(receiver.Url, new StringContent("{}"));

        Assert.Equal(200, (int)first.StatusCode);
        Assert.Equal(429, (int)second.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), second.Headers.RetryAfter?.Delta);
        Assert.Equal(new[] { 200, 429 }, receiver.Requests.Select(r => r.ResponseStatus));
    }
}
