using System.Text.Json;
using AlertHooks.Targets;
using AlertHooks.Templates;
using CsCheck;
using Xunit;

namespace AlertHooks.Tests.Targets;

public class PresetTests
{
    private const int LongLength = 5000;

    public static TheoryData<string, AlertEventType> Matrix()
    {
        var data = new TheoryData<string, AlertEventType>();
        foreach (var preset in Presets.All)
        {
            foreach (var eventType in Enum.GetValues<AlertEventType>())
            {
                data.Add(preset.Name, eventType);
            }
        }

        return data;
    }

    /// <summary>Token values: the sample's own, then 5,000 characters of plain text, of JSON/mention/emoji trouble, of control characters.</summary>
    public static IEnumerable<(string Kind, string? Value)> Values()
    {
        yield return ("sample", null);
        yield return ("ascii", new string('x', LongLength));
        yield return ("hostile", Repeat("\"}],\"x\":\"y\n\t\\ @everyone <!channel> &amp; 🔥é\u2028", LongLength));
        yield return ("control", new string('\u0001', LongLength));
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void PresetRendersToAPayloadItsValidatorAccepts(string name, AlertEventType eventType)
    {
        Assert.True(Presets.TryGet(name, out var preset));
        var body = preset.For(new[] { eventType }).Body;
        foreach (var (kind, value) in Values())
        {
            var alertEvent = value == null ? SampleEvents.Create(eventType) : SampleEvents.Create(eventType, EveryTextToken(eventType, value));
            var result = TemplateTester.Test(body, preset.Target, alertEvent, new TemplateTestSettings
            {
                PolicyName = value ?? "Critical Alerts",
                PolicyId = value ?? "abc123-def456",
                Environment = _ => "set",
            });

            Assert.True(result.IsValid, $"{name}/{eventType}/{kind}: {string.Join("; ", result.Errors)}");
            Assert.True(result.Warnings.Count == 0, $"{name}/{eventType}/{kind}: {string.Join("; ", result.Warnings)}");
            using var document = JsonDocument.Parse(result.RenderedBody!);
        }
    }

    [Fact]
    public void AnyTokenValuesKeepEveryPresetValidForItsTarget()
    {
        // Any characters (lone surrogates, controls, mentions), up to beyond every limit, in every text token at once.
        var generator = Gen.Select(Gen.Enum<AlertEventType>(), Gen.Int[0, Presets.All.Count - 1], Gen.String[Gen.Char, 0, 6000]);
        generator.Sample(sample =>
        {
            var (eventType, index, value) = sample;
            var preset = Presets.All[index].For(new[] { eventType });
            var result = TemplateTester.Test(preset.Body, preset.Target, SampleEvents.Create(eventType, EveryTextToken(eventType, value)),
                new TemplateTestSettings { PolicyName = value, PolicyId = value, Environment = _ => "set" });

            Assert.True(result.IsValid, $"{preset.Name}/{eventType}: {string.Join("; ", result.Errors)}");
            Assert.Empty(result.Warnings);
        }, iter: 300);
    }

    [Fact]
    public void GenericHoldsExactlyTheTokensOfItsEventTypes()
    {
        Assert.True(Presets.TryGet("generic", out var generic));
        foreach (var eventType in Enum.GetValues<AlertEventType>())
        {
            var body = generic.For(new[] { eventType }).Body;
            var rendered = TemplateEngine.Render(body, new RenderRequest(SampleEvents.Create(eventType), "ops", "id-1") { Environment = _ => null });

            var keys = JsonDocument.Parse(rendered.Body).RootElement.EnumerateObject().Select(p => p.Name);
            Assert.Equal(TokenCatalog.For(eventType).Select(t => t.Name), keys);
        }
    }

    [Fact]
    public void GenericWritesTimesInIso8601()
    {
        Assert.True(Presets.TryGet("Generic", out var generic));
        var rendered = TemplateEngine.Render(generic.For(new[] { AlertEventType.JobFailure }).Body,
            new RenderRequest(SampleEvents.Create(AlertEventType.JobFailure), "ops", "id-1") { Environment = _ => null });

        Assert.Equal("2026-01-08T10:00:00Z", JsonDocument.Parse(rendered.Body).RootElement.GetProperty("start_time").GetString());
    }

    [Fact]
    public void DiscordPresetStampsTheEventTimeAndPingsNobody()
    {
        Assert.True(Presets.TryGet("Discord", out var discord));
        var alertEvent = SampleEvents.Create(AlertEventType.AgentDowntime, new Dictionary<string, object?> { ["alert_summary"] = "@everyone agent down" });

        var root = JsonDocument.Parse(TemplateEngine.Render(discord.Body, new RenderRequest(alertEvent, "ops", "id-1")).Body).RootElement;

        Assert.Equal(TemplateFilters.FormatIso8601(alertEvent.OccurredAt), root.GetProperty("embeds")[0].GetProperty("timestamp").GetString());
        Assert.Equal(0, root.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
        Assert.Contains("@everyone", root.GetProperty("content").GetString());
    }

    [Fact]
    public void PagerDutyPresetTakesTheRoutingKeyFromTheEnvironmentAndKeepsTheDedupKeyStable()
    {
        Assert.True(Presets.TryGet("PagerDuty", out var pagerDuty));
        var key = new string('k', 32);
        string Render(AlertEvent e) => TemplateEngine.Render(pagerDuty.Body, new RenderRequest(e, "ops", "policy-1")
        {
            Environment = n => n == "PAGERDUTY_ROUTING_KEY" ? key : null,
        }).Body;

        var first = JsonDocument.Parse(Render(SampleEvents.Create(AlertEventType.JobFailure))).RootElement;
        var again = JsonDocument.Parse(Render(SampleEvents.Create(AlertEventType.JobFailure))).RootElement;
        var other = JsonDocument.Parse(Render(SampleEvents.Create(AlertEventType.JobFailure, new Dictionary<string, object?> { ["job_name"] = "hourly" }))).RootElement;

        Assert.Equal(key, first.GetProperty("routing_key").GetString());
        Assert.StartsWith("dagster:policy-1:", first.GetProperty("dedup_key").GetString());
        Assert.Equal(first.GetProperty("dedup_key").GetString(), again.GetProperty("dedup_key").GetString());
        Assert.NotEqual(first.GetProperty("dedup_key").GetString(), other.GetProperty("dedup_key").GetString());
        Assert.Equal("error", first.GetProperty("payload").GetProperty("severity").GetString());
    }

    [Fact]
    public void SlackPresetEscapesMrkdwnAndSendsTopLevelText()
    {
        Assert.True(Presets.TryGet("Slack", out var slack));
        var alertEvent = SampleEvents.Create(AlertEventType.JobFailure, new Dictionary<string, object?> { ["failure_message"] = "a < b & c > d" });

        var root = JsonDocument.Parse(TemplateEngine.Render(slack.Body, new RenderRequest(alertEvent, "ops", "id-1")).Body).RootElement;

        Assert.Equal("Job daily_etl failed", root.GetProperty("text").GetString());
        Assert.Contains("a &lt; b &amp; c &gt; d", root.GetProperty("blocks")[2].GetProperty("text").GetProperty("text").GetString());
    }

    private static Dictionary<string, object?> EveryTextToken(AlertEventType eventType, string value) =>
        TokenCatalog.For(eventType)
            .Where(t => !TokenCatalog.TimeTokens.Contains(t.Name) && !AlertEvent.PolicyOwnedTokens.Contains(t.Name))
            .ToDictionary(t => t.Name, _ => (object?)value);

    private static string Repeat(string unit, int length)
    {
        var builder = new System.Text.StringBuilder(length + unit.Length);
        while (builder.Length < length)
        {
            builder.Append(unit);
        }

        return builder.ToString(0, length);
    }
}
