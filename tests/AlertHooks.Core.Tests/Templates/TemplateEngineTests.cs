using System.Text.Json;
using AlertHooks.Templates;
using CsCheck;
using Xunit;

namespace AlertHooks.Tests.Templates;

public class TemplateEngineTests
{
    private static RenderRequest Request(AlertEvent alertEvent, Func<string, string?>? environment = null) =>
        new(alertEvent, "Critical Alerts", "abc123-def456")
        {
            DeploymentName = "prod",
            DeploymentUrl = "https://example.dagster.cloud/prod",
            Environment = environment ?? (_ => null),
        };

    private static AlertEvent JobFailure(string failureMessage = "Step 'load_data' failed") =>
        new(AlertEventType.JobFailure, new Dictionary<string, object?>
        {
            ["job_name"] = "daily_etl",
            ["run_link"] = "https://example.dagster.cloud/prod/runs/abc123",
            ["failure_message"] = failureMessage,
            ["start_time"] = new DateTimeOffset(2026, 1, 8, 10, 0, 0, TimeSpan.Zero),
        });

    [Theory]
    [InlineData(ReferenceBodies.Slack)]
    [InlineData(ReferenceBodies.Discord)]
    public void PlatformBodiesRenderUnchangedToValidJson(string body)
    {
        var result = TemplateEngine.Render(body, Request(JobFailure()));

        using var document = JsonDocument.Parse(result.Body);
        Assert.Contains("Job daily_etl failed", result.Body);
        Assert.DoesNotContain("{{", result.Body);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void SlackReferenceBodyGetsEveryValueInPlace()
    {
        var result = TemplateEngine.Render(ReferenceBodies.Slack, Request(JobFailure()));

        var root = JsonDocument.Parse(result.Body).RootElement;
        Assert.Equal("Job daily_etl failed", root.GetProperty("text").GetString());
        Assert.Equal("Dagster Alert: Critical Alerts", root.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString());
        Assert.Equal("*Deployment:*\nprod", root.GetProperty("blocks")[1].GetProperty("fields")[0].GetProperty("text").GetString());
        Assert.Equal("https://example.dagster.cloud/prod", root.GetProperty("blocks")[4].GetProperty("elements")[0].GetProperty("url").GetString());
    }

    [Theory]
    [InlineData("quote \" and backslash \\")]
    [InlineData("line\nbreak\r\nand\ttab")]
    [InlineData("nul \0 bell \u0007 escape \u001b")]
    [InlineData("separators \u2028 \u2029")]
    [InlineData("emoji 🔥🚨 and accents é ü")]
    [InlineData("\"}],\"x\":\"y")]
    [InlineData("{{ not a token }} {% raw %}")]
    public void HostileValuesKeepTheStructureAndRoundTrip(string value)
    {
        var body = """{"text":"{{failure_message}}","nested":{"list":["{{failure_message}}", 1]}}""";

        var result = TemplateEngine.Render(body, Request(JobFailure(value)));

        var root = JsonDocument.Parse(result.Body).RootElement;
        Assert.Equal(new[] { "text", "nested" }, root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(value, root.GetProperty("text").GetString());
        Assert.Equal(value, root.GetProperty("nested").GetProperty("list")[0].GetString());
        Assert.Equal(2, root.GetProperty("nested").GetProperty("list").GetArrayLength());
    }

    [Fact]
    public void AnyStringRoundTripsThroughAnyTemplatedLeaf()
    {
        var body = """{"a":"pre {{failure_message}} post","b":["{{failure_message}}"],"c":{"d":"{{ failure_message | upcase | downcase }}"}}""";
        Gen.String[Gen.Char, 0, 200].Sample(value =>
        {
            var result = TemplateEngine.Render(body, Request(JobFailure(value)));
            var root = JsonDocument.Parse(result.Body).RootElement;
            var expected = JsonText.Sanitize(value);
            Assert.Equal(new[] { "a", "b", "c" }, root.EnumerateObject().Select(p => p.Name));
            Assert.Equal("pre " + expected + " post", root.GetProperty("a").GetString());
            Assert.Equal(expected, root.GetProperty("b")[0].GetString());
            Assert.Equal(1, root.GetProperty("b").GetArrayLength());
        }, iter: 2000);
    }

    [Fact]
    public void PlainTokensRenderExactlyAsFluidWouldRenderThem()
    {
        // The first body is plain (rendered by substitution); the filters that change nothing force Fluid on the second.
        var plain = """{"a":"x {{failure_message}} y","t":"{{ start_time }}","s":"{{alert_summary}}","p":"{{alert_policy_name}}{{asset_key}}"}""";
        var fluid = """{"a":"x {{ failure_message | append: '' }} y","t":"{{ start_time | default: '' }}","s":"{{ alert_summary | append: '' }}","p":"{{ alert_policy_name | append: '' }}{{ asset_key | append: '' }}"}""";
        Gen.String[Gen.Char, 0, 100].Sample(value =>
        {
            var request = Request(JobFailure(value));

            Assert.Equal(TemplateEngine.Render(fluid, request).Body, TemplateEngine.Render(plain, request).Body);
        }, iter: 500);
    }

    [Fact]
    public void PlainEnvironmentReferencesAreReadAtRenderTimeAndKeptSecret()
    {
        var secrets = new List<string>();

        var url = TemplateEngine.RenderText("https://hooks.example/{{ env.HOOK_PATH }}?k={{env.HOOK_KEY}}",
            name => name switch { "HOOK_PATH" => "services/T0", "HOOK_KEY" => "k-123456", _ => null }, secrets);

        Assert.Equal("https://hooks.example/services/T0?k=k-123456", url);
        Assert.Equal(new[] { "services/T0", "k-123456" }, secrets);
        var missing = Assert.Throws<TemplateException>(() => TemplateEngine.RenderText("{{ env.NOT_SET_ANYWHERE }}", _ => null, secrets));
        Assert.Equal(DiagnosticCodes.MissingEnvironmentVariable, missing.Code);
    }

    [Fact]
    public void UnknownTokenIsAnErrorWithItsPosition()
    {
        var body = "{\n  \"text\": \"{{alert_sumary}}\"\n}";

        var error = Assert.Throws<TemplateException>(() => TemplateEngine.Render(body, Request(JobFailure())));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(DiagnosticCodes.UnknownToken, diagnostic.Code);
        Assert.Equal("alert_sumary", diagnostic.Token);
        Assert.Equal(2, diagnostic.Line);
        Assert.Equal(14, diagnostic.Column);
        Assert.Contains("alert_summary", diagnostic.Message);
    }

    [Fact]
    public void TokenOfAnotherEventTypeWarnsAndRendersEmpty()
    {
        var result = TemplateEngine.Render("""{"text":"[{{asset_key}}]"}""", Request(JobFailure()));

        var warning = Assert.Single(result.Warnings);
        Assert.Equal(DiagnosticCodes.TokenNotAvailable, warning.Code);
        Assert.Equal("""{"text":"[]"}""", result.Body);
    }

    [Fact]
    public void TimesRenderLikeThePlatformAndTakeTheDateFilter()
    {
        var body = """{"plain":"{{start_time}}","iso":"{{ start_time | date: '%Y-%m-%dT%H:%M:%SZ' }}","iso8601":"{{ start_time | iso8601 }}","discord":"{{ start_time | discord_time }}"}""";

        var root = JsonDocument.Parse(TemplateEngine.Render(body, Request(JobFailure())).Body).RootElement;

        Assert.Equal("Jan 8, 2026 10:00 AM", root.GetProperty("plain").GetString());
        Assert.Equal("2026-01-08T10:00:00Z", root.GetProperty("iso").GetString());
        Assert.Equal("2026-01-08T10:00:00Z", root.GetProperty("iso8601").GetString());
        Assert.Equal("<t:1767866400:R>", root.GetProperty("discord").GetString());
    }

    [Fact]
    public void MissingEnvironmentVariableIsNamedWithoutAnyValue()
    {
        var error = Assert.Throws<TemplateException>(() =>
            TemplateEngine.Render("""{"key":"{{ env.PD_ROUTING_KEY }}"}""", Request(JobFailure())));

        Assert.Equal(DiagnosticCodes.MissingEnvironmentVariable, error.Code);
        Assert.Contains("PD_ROUTING_KEY", error.Message);
    }

    [Fact]
    public void EnvironmentValuesRenderAndAreReportedAsSecrets()
    {
        var result = TemplateEngine.Render("""{"key":"{{ env.PD_ROUTING_KEY }}"}""",
            Request(JobFailure(), name => name == "PD_ROUTING_KEY" ? "s3cr3t-routing-key" : null));

        Assert.Equal("""{"key":"s3cr3t-routing-key"}""", result.Body);
        Assert.Contains("s3cr3t-routing-key", result.Secrets);
    }

    [Fact]
    public void LiquidSyntaxErrorNamesLineAndColumn()
    {
        var error = Assert.Throws<TemplateException>(() =>
            TemplateEngine.Render("{\n \"text\": \"{% if job_name %}open\"\n}", Request(JobFailure())));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(DiagnosticCodes.LiquidSyntax, diagnostic.Code);
        Assert.Equal(2, diagnostic.Line);
    }

    [Fact]
    public void TemplateThatIsNotJsonRendersWhenItsOutputIs()
    {
        var body = """{"threshold": {{ threshold }}, "metric": "{{ metric_name }}"}""";
        var alertEvent = new AlertEvent(AlertEventType.InsightsThreshold, new Dictionary<string, object?> { ["threshold"] = 1000, ["metric_name"] = "cre\"dits" });

        var result = TemplateEngine.Render(body, Request(alertEvent));

        var root = JsonDocument.Parse(result.Body).RootElement;
        Assert.Equal(1000, root.GetProperty("threshold").GetInt32());
        Assert.Equal("cre\"dits", root.GetProperty("metric").GetString());
    }

    [Fact]
    public void OutputThatIsNotJsonIsAnErrorWithItsPosition()
    {
        var body = """{"metric": {{ metric_name }}}""";
        var alertEvent = new AlertEvent(AlertEventType.InsightsThreshold, new Dictionary<string, object?> { ["metric_name"] = "credits" });

        var error = Assert.Throws<TemplateException>(() => TemplateEngine.Render(body, Request(alertEvent)));

        Assert.Equal(DiagnosticCodes.InvalidJson, error.Code);
        Assert.Equal(1, error.Diagnostics[0].Line);
    }

    [Fact]
    public void TemplatesAreParsedOnce()
    {
        var source = """{"text":"{{alert_summary}} cached"}""";

        Assert.Same(TemplateEngine.GetTemplate(source), TemplateEngine.GetTemplate(source));
    }

    [Fact]
    public void GlobalTokensComeFromPolicyAndEvent()
    {
        var body = """{"n":"{{alert_policy_name}}","i":"{{alert_policy_id}}","t":"{{notification_type}}","s":"{{is_sample}}","d":"{{deployment_name}}"}""";

        var root = JsonDocument.Parse(TemplateEngine.Render(body, Request(SampleEvents.Create(AlertEventType.SensorTickFailure))).Body).RootElement;

        Assert.Equal("Critical Alerts", root.GetProperty("n").GetString());
        Assert.Equal("abc123-def456", root.GetProperty("i").GetString());
        Assert.Equal("TICK", root.GetProperty("t").GetString());
        Assert.Equal("true", root.GetProperty("s").GetString());
        Assert.Equal("prod", root.GetProperty("d").GetString());
    }
}
