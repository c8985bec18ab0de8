using System.Text;
using AlertHooks.Policies;
using Xunit;

namespace AlertHooks.Tests.Policies;

public class PolicyFileTests : IDisposable
{
    private const string Sentinel = "SENTINELx9q7";
    private readonly PolicyTestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static AlertPolicy SecretPolicy()
    {
        var policy = new AlertPolicy("Ops Slack", new[] { AlertEventType.JobFailure }, $"https://hooks.slack.com/services/T0/B0/{Sentinel}",
            "{\"routing_key\":\"" + Sentinel + "k\",\"text\":\"{{alert_summary}}\"}",
            new Dictionary<string, string> { ["Authorization"] = "Bearer " + Sentinel, ["X-Env"] = "{{ env.OPS_TOKEN }}" })
        {
            SigningSecret = "whsec_" + Convert.ToBase64String(Encoding.ASCII.GetBytes(Sentinel + "-32-bytes-of-key!!")),
        };
        return policy;
    }

    [Fact]
    public void ExportWithoutSecretsReplacesEveryLiteralSecretWithANamedReference()
    {
        var text = PolicyFile.ToExportJson(SecretPolicy(), includeSecrets: false, out var placeholders);

        Assert.DoesNotContain(Sentinel, text);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.ASCII.GetBytes(Sentinel)).Substring(0, 8), text);
        Assert.Contains("\"url\": \"https://hooks.slack.com/services/{{ env.ALERTHOOKS_OPS_SLACK_URL_SECRET }}\"", text);
        Assert.Contains("\"Authorization\": \"{{ env.ALERTHOOKS_OPS_SLACK_HEADER_AUTHORIZATION }}\"", text);
        Assert.Contains("\"X-Env\": \"{{ env.OPS_TOKEN }}\"", text);
        Assert.Contains("\"signingSecret\": \"{{ env.ALERTHOOKS_OPS_SLACK_SIGNING_SECRET }}\"", text);
        Assert.Contains("\"routing_key\": \"{{ env.ALERTHOOKS_OPS_SLACK_ROUTING_KEY }}\"", text);
        Assert.Equal(
            new[] { "ALERTHOOKS_OPS_SLACK_URL_SECRET", "ALERTHOOKS_OPS_SLACK_HEADER_AUTHORIZATION", "ALERTHOOKS_OPS_SLACK_SIGNING_SECRET", "ALERTHOOKS_OPS_SLACK_ROUTING_KEY" },
            placeholders.Select(p => p.Variable));
        Assert.All(placeholders, p => Assert.DoesNotContain(Sentinel, p.What));
    }

    [Theory]
    [InlineData("https://discord.com/api/webhooks/123/SENTINELx9q7", "https://discord.com/api/webhooks/{{ env.ALERTHOOKS_P_URL_SECRET }}", "Discord")]
    [InlineData("https://prod-1.westus.logic.azure.com/workflows/a/triggers/manual/paths/invoke?sig=SENTINELx9q7", "{{ env.ALERTHOOKS_P_URL }}", "Teams")]
    [InlineData("https://alerts.example.com/hook?token=SENTINELx9q7", "{{ env.ALERTHOOKS_P_URL }}", "Generic")]
    [InlineData("https://alerts.example.com/hook", "https://alerts.example.com/hook", "Generic")]
    [InlineData("{{ env.MY_URL }}", "{{ env.MY_URL }}", "Generic")]
    public void EachKindOfUrlKeepsWhatIdentifiesItAndHidesWhatIsSecret(string url, string exported, string target)
    {
        var text = PolicyFile.ToExportJson(PolicyTestFolder.Policy("p", url), includeSecrets: false, out _);

        Assert.DoesNotContain(Sentinel, text);
        Assert.Contains($"\"url\": \"{exported}\"", text);
        var read = PolicyFile.Parse(text, "p.json").Policy;
        Assert.Equal(target, read.Target.ToString());
    }

    [Fact]
    public void ExportedFileIsDiffFriendlyAndReadsBackAsTheSamePolicy()
    {
        var policy = SecretPolicy();
        policy.Match["job_name"] = "daily_*";
        var text = PolicyFile.ToExportJson(policy, includeSecrets: true, out var placeholders);

        Assert.Empty(placeholders);
        Assert.DoesNotContain("\r", text);
        Assert.EndsWith("}\n", text);
        Assert.False(text.EndsWith("\n\n", StringComparison.Ordinal));
        var keys = text.Split('\n').Where(l => l.StartsWith("  \"", StringComparison.Ordinal) && !l.StartsWith("   ", StringComparison.Ordinal))
            .Select(l => l.Substring(3, l.IndexOf('"', 3) - 3)).ToList();
        Assert.Equal(new[] { "schemaVersion", "name", "id", "enabled", "eventTypes", "target", "url", "headers", "signingSecret", "match", "body" }, keys);
        Assert.Contains("  \"body\": {\n    \"routing_key\"", text);

        var read = PolicyFile.Parse(text, "ops.json");
        Assert.True(read.HasId);
        Assert.Empty(PolicySync.Differences(read.Policy, policy));
        Assert.Equal(text, PolicyFile.ToExportJson(read.Policy, includeSecrets: true, out _));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/services/T0/B0/x", TargetKind.Slack, TargetKind.Slack)]
    [InlineData("https://hooks.slack.com/services/T0/B0/x", TargetKind.Discord, TargetKind.Slack)]
    public void AnExplicitTargetSurvivesTheStoreUnlessTheHostSaysOtherwise(string url, TargetKind written, TargetKind expected)
    {
        var policy = new AlertPolicy("rehearsal", new[] { AlertEventType.JobFailure }, url, """{"text":"{{alert_summary}}"}""") { Target = written };

        var read = PolicyFile.Parse(PolicyFile.ToStoreJson(policy), "rehearsal.json").Policy;

        Assert.Equal(expected, read.Target);
    }

    [Fact]
    public void AFileWithoutIdGetsTheSameIdFromItsNameEverywhere()
    {
        const string text = "{\"schemaVersion\":1,\"name\":\"ops\",\"eventTypes\":[\"jobfailure\"],\"url\":\"https://alerts.example.com/h\",\"body\":{\"text\":\"{{alert_summary}}\"}}";

        var first = PolicyFile.Parse(text, "a.json");
        var second = PolicyFile.Parse(text, "b.json");

        Assert.False(first.HasId);
        Assert.Equal(first.Policy.Id, second.Policy.Id);
        Assert.Matches("^[0-9a-f-]{36}$", first.Policy.Id);
        Assert.Equal(AlertEventType.JobFailure, Assert.Single(first.Policy.EventTypes));
    }

    [Theory]
    [InlineData("{\"schemaVersion\":2,\"name\":\"x\"}", "schema version 2")]
    [InlineData("{\"schemaVersion\":1,\"name\":\"x\",\"eventType\":[\"JobFailure\"]}", "unknown key 'eventType'")]
    [InlineData("{\"schemaVersion\":1,\"name\":\"x\",\"eventTypes\":[\"JobFailed\"],\"url\":\"https://a.example.com\",\"body\":\"{}\"}", "'JobFailed' is not one of")]
    [InlineData("{\"schemaVersion\":1,\"name\":\"x\",\"eventTypes\":[\"JobFailure\"],\"url\":\"https://a.example.com\",\"body\":\"{\\\"t\\\":\\\"{{job_nme}}\\\"}\"}", "job_nme")]
    [InlineData("{\"schemaVersion\":1,\"name\":\"x\",\"eventTypes\":[\"JobFailure\",\"AgentDowntime\"],\"url\":\"https://a.example.com\",\"body\":\"{}\",\"match\":{\"job_name\":\"a*\"}}", "'job_name' is not a token of AgentDowntime")]
    [InlineData("[1,2]", "does not hold a JSON object")]
    public void ProblemsNameTheFileAndWhatIsWrong(string text, string expected)
    {
        var error = Assert.Throws<PolicyFileException>(() => PolicyFile.Parse(text, "/repo/policies/x.json"));

        Assert.StartsWith("Policy file '/repo/policies/x.json': ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void TheMigrationHookBringsAnOlderFileUpToDate()
    {
        // As a future schema 2 would: a step registered for version 1 runs, and the version is bumped.
        PolicyFile.Migrations[1] = node =>
        {
            node["eventTypes"] = node["eventType"]!.DeepClone();
            node.Remove("eventType");
            return node;
        };
        try
        {
            var old = (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse("{\"schemaVersion\":1,\"eventType\":[\"JobFailure\"]}")!;

            var migrated = PolicyFile.Migrate(old, "old.json", target: 2);

            Assert.Equal(2, (int)migrated["schemaVersion"]!);
            Assert.Equal("JobFailure", (string)migrated["eventTypes"]![0]!);
            Assert.False(migrated.ContainsKey("eventType"));
        }
        finally
        {
            PolicyFile.Migrations.Remove(1);
        }
    }

    [Fact]
    public void CanonicalBodyIgnoresWhitespaceOnlyForJson()
    {
        Assert.Equal(PolicyFile.CanonicalBody("{\"a\": [1, 2]}"), PolicyFile.CanonicalBody("{\n  \"a\": [\n 1,2]\n}"));
        Assert.NotEqual(PolicyFile.CanonicalBody("{\"a\":1,\"b\":2}"), PolicyFile.CanonicalBody("{\"b\":2,\"a\":1}"));
        Assert.Equal("{% if x %} a {% endif %}", PolicyFile.CanonicalBody("{% if x %} a {% endif %}"));
    }
}
