using System.Text.Json;
using AlertHooks.Targets;
using AlertHooks.Templates;
using Xunit;

namespace AlertHooks.Tests.Targets;

public class TemplateTesterTests
{
    private static readonly TemplateTestSettings NoEnvironment = new() { Environment = _ => null };

    private static TemplateTestResult Test(string body, TargetKind target, AlertEventType eventType = AlertEventType.JobFailure, TemplateTestSettings? settings = null) =>
        TemplateTester.Test(body, target, SampleEvents.Create(eventType), settings ?? NoEnvironment);

    [Fact]
    public void ReferenceDiscordBodyRendersButItsTimestampIsFlaggedWithTheDateFilter()
    {
        var result = Test(ReferenceBodies.Discord, TargetKind.Discord);

        using var document = JsonDocument.Parse(result.RenderedBody!);
        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal("Discord.InvalidTimestamp", error.Code);
        Assert.Equal("$.embeds[0].timestamp", error.Path);
        Assert.Contains("'Jan 8, 2026 10:00 AM'", error.Message);
        Assert.Contains("{{ start_time | date: '%Y-%m-%dT%H:%M:%SZ' }}", error.Message);
        Assert.Contains("The template writes \"{{start_time}}\" there (line 16, column 21).", error.Message);
    }

    [Fact]
    public void TemplateLeavesAreKnownByTheirJsonPath()
    {
        var template = TemplateEngine.GetTemplate("{\"a\":[1,{\"b\":\"{{job_name}}\"},[\"x\",\"{{run_id}}\"]],\"odd key\":\"{{ run_link }}\",\"c\":\"plain\"}");

        Assert.Equal(new[] { "$.a[1].b", "$.a[2][1]", "$['odd key']" }, template.Leaves.Keys);
        Assert.Equal("{{run_id}}", template.Leaves["$.a[2][1]"].Text);
    }

    [Fact]
    public void TheSuggestedDateFilterFixesTheReferenceDiscordBody()
    {
        var fixedBody = ReferenceBodies.Discord.Replace("{{start_time}}", "{{ start_time | date: '%Y-%m-%dT%H:%M:%SZ' }}");

        var result = Test(fixedBody, TargetKind.Discord);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal("2026-01-08T10:00:00Z", JsonDocument.Parse(result.RenderedBody!).RootElement.GetProperty("embeds")[0].GetProperty("timestamp").GetString());
    }

    [Fact]
    public void ReferenceSlackBodyIsValidForSlack()
    {
        var result = Test(ReferenceBodies.Slack, TargetKind.Slack);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Empty(result.Warnings);
        Assert.Equal(TargetKind.Slack, result.Target);
        Assert.Equal(AlertEventType.JobFailure, result.EventType);
    }

    [Fact]
    public void EnvironmentVariablesRenderPlaceholdersAndMissingOnesWarn()
    {
        var body = """{"routing_key":"{{ env.PD_KEY }}","other":"{{ env.SET_ONE }}"}""";
        var settings = new TemplateTestSettings { Environment = n => n == "SET_ONE" ? "real-secret-value" : null };

        var result = Test(body, TargetKind.Generic, settings: settings);

        Assert.True(result.IsValid);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(DiagnosticCodes.MissingEnvironmentVariable, warning.Code);
        Assert.Equal("PD_KEY", warning.Token);
        Assert.DoesNotContain("real-secret-value", result.RenderedBody);
        Assert.Equal(TemplateTester.Placeholder("PD_KEY"), JsonDocument.Parse(result.RenderedBody!).RootElement.GetProperty("routing_key").GetString());
        Assert.Equal(32, TemplateTester.Placeholder("X").Length);
    }

    [Fact]
    public void UnknownTokensAreErrorsAndNothingIsRendered()
    {
        var result = Test("{\n  \"text\": \"{{job_nme}} {{ alert_sumary }}\"\n}", TargetKind.Generic);

        Assert.False(result.IsValid);
        Assert.Equal(new[] { "job_nme", "alert_sumary" }, result.UnknownTokens);
        Assert.Null(result.RenderedBody);
        Assert.Contains(result.Errors, e => e.Code == DiagnosticCodes.UnknownToken && e.Line == 2 && e.Message.Contains("Did you mean 'job_name'?"));
    }

    [Fact]
    public void UnavailableTokensWarnAndRenderEmpty()
    {
        var result = Test("""{"text":"{{ job_name }}|{{ agent_url }}"}""", TargetKind.Generic, AlertEventType.AgentDowntime);

        Assert.True(result.IsValid);
        Assert.Equal(new[] { "job_name" }, result.UnavailableTokens);
        Assert.Equal("|https://example.dagster.cloud/prod/agents", JsonDocument.Parse(result.RenderedBody!).RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public void LiquidSyntaxErrorsAreErrors()
    {
        var result = Test("""{"text":"{% if alert_summary %}open"}""", TargetKind.Generic);

        Assert.False(result.IsValid);
        Assert.Equal(DiagnosticCodes.LiquidSyntax, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void RenderedBodyThatIsNotJsonIsAnError()
    {
        var result = Test("{\"count\": {{ alert_summary }}}", TargetKind.Generic);

        Assert.False(result.IsValid);
        Assert.Equal(DiagnosticCodes.InvalidJson, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void TargetWarningsDoNotMakeABodyInvalid()
    {
        var result = Test("""{"content":"{{alert_summary}}"}""", TargetKind.Discord);

        Assert.True(result.IsValid);
        Assert.Contains(result.Warnings, w => w.Code == "Discord.NoAllowedMentions");
    }

    [Fact]
    public void PolicyValuesAreRendered()
    {
        var result = Test("""{"p":"{{alert_policy_name}}/{{alert_policy_id}}"}""", TargetKind.Generic,
            settings: new TemplateTestSettings { PolicyName = "ops", PolicyId = "id-7", Environment = _ => null });

        Assert.Equal("ops", result.PolicyName);
        Assert.Equal("ops/id-7", JsonDocument.Parse(result.RenderedBody!).RootElement.GetProperty("p").GetString());
    }
}
