using Xunit;

namespace AlertHooks.Tests.Receiver;

public class ChaosResponderTests
{
    private static readonly ReceivedRequestHead Head = new("POST", "/", new Dictionary<string, string>());

    private static string Describe(ReceiverResponse r) =>
        r.Drop ? "drop" : $"{r.StatusCode}/{r.Delay.TotalMilliseconds}/{string.Join(",", r.Headers.Select(h => h.Key + "=" + h.Value))}";

    [Fact]
    public void TheSameSeedGivesTheSameAnswers()
    {
        var a = new ChaosResponder(42, 0.3);
        var b = new ChaosResponder(42, 0.3);

        var first = Enumerable.Range(0, 200).Select(_ => Describe(a.Respond(Head))).ToArray();
        var second = Enumerable.Range(0, 200).Select(_ => Describe(b.Respond(Head))).ToArray();

        Assert.Equal(first, second);
        Assert.NotEqual(first, Enumerable.Range(0, 200).Select(_ => Describe(new ChaosResponder(43, 0.3).Respond(Head))).ToArray());
    }

    [Fact]
    public void FaultsComeInTheirShareAndEveryKindAppears()
    {
        var chaos = new ChaosResponder(7, 0.3);
        var answers = Enumerable.Range(0, 2000).Select(_ => chaos.Respond(Head)).ToArray();

        var faults = answers.Count(a => a.Drop || a.StatusCode != 200 || a.Delay > TimeSpan.Zero);
        Assert.InRange(faults, 500, 700);
        Assert.All(ChaosResponder.Kinds, kind => Assert.True(chaos.Counts[kind] > 0, kind));
        Assert.All(answers.Where(a => a.StatusCode == 429), a => Assert.Contains(a.Headers["Retry-After"], new[] { "0", "1" }));
        Assert.All(answers, a => Assert.True(a.Delay <= TimeSpan.FromMilliseconds(300)));
        Assert.Equal(2000, chaos.Counts.Values.Sum());
    }
}
