using System.Text.Json;
using System.Text.Json.Nodes;
using AlertHooks.Targets;
using Xunit;

namespace AlertHooks.Tests.Targets;

public class ValidatorTests
{
    private static string S(int length, char c = 'a') => new(c, length);

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static IReadOnlyList<TemplateDiagnostic> Validate(TargetKind target, JsonNode payload) =>
        PayloadValidator.For(target).Validate(payload.ToJsonString(Relaxed));

    private static void AssertOnly(IReadOnlyList<TemplateDiagnostic> findings, string code, string path)
    {
        var errors = findings.Where(f => f.Severity == DiagnosticSeverity.Error).ToArray();
        var error = Assert.Single(errors);
        Assert.Equal(code, error.Code);
        Assert.Equal(path, error.Path);
        Assert.Contains($"{code} at {path}:", error.ToString());
    }

    private static void AssertValid(IReadOnlyList<TemplateDiagnostic> findings) =>
        Assert.DoesNotContain(findings, f => f.Severity == DiagnosticSeverity.Error);

    // ---- Slack ----

    private static JsonObject Slack(params JsonNode[] blocks) =>
        new() { ["text"] = "summary", ["blocks"] = new JsonArray(blocks) };

    private static JsonObject Header(string text, string type = "plain_text") =>
        new() { ["type"] = "header", ["text"] = new JsonObject { ["type"] = type, ["text"] = text } };

    private static JsonObject Section(string text) =>
        new() { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = text } };

    private static JsonObject Fields(params string[] texts) =>
        new() { ["type"] = "section", ["fields"] = new JsonArray(texts.Select(t => (JsonNode)new JsonObject { ["type"] = "mrkdwn", ["text"] = t }).ToArray()) };

    private static JsonObject Button(string text = "Open", string url = "https://x.test", string? style = null, string? value = null)
    {
        var button = new JsonObject { ["type"] = "button", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = text }, ["url"] = url };
        if (style != null) button["style"] = style;
        if (value != null) button["value"] = value;
        return new JsonObject { ["type"] = "actions", ["elements"] = new JsonArray(button) };
    }

    [Fact]
    public void SlackAcceptsEveryLimitExactly() =>
        AssertValid(Validate(TargetKind.Slack, Slack(Header(S(150)), Section(S(3000)), Fields(Enumerable.Repeat(S(2000), 10).ToArray()),
            Button(S(75), S(3000), "primary", S(2000)))));

    [Fact]
    public void SlackHeaderOver150() => AssertOnly(Validate(TargetKind.Slack, Slack(Section("x"), Header(S(151)))), "Slack.HeaderTooLong", "$.blocks[1].text.text");

    [Fact]
    public void SlackHeaderMustBePlainText() => AssertOnly(Validate(TargetKind.Slack, Slack(Header("x", "mrkdwn"))), "Slack.HeaderNotPlainText", "$.blocks[0].text.type");

    [Fact]
    public void SlackSectionTextOver3000() => AssertOnly(Validate(TargetKind.Slack, Slack(Section(S(3001)))), "Slack.SectionTextTooLong", "$.blocks[0].text.text");

    [Fact]
    public void SlackSectionTextEmpty() => AssertOnly(Validate(TargetKind.Slack, Slack(Section(""))), "Slack.SectionTextEmpty", "$.blocks[0].text.text");

    [Fact]
    public void SlackMoreThan10Fields() =>
        AssertOnly(Validate(TargetKind.Slack, Slack(Fields(Enumerable.Repeat("f", 11).ToArray()))), "Slack.TooManyFields", "$.blocks[0].fields");

    [Fact]
    public void SlackFieldOver2000() => AssertOnly(Validate(TargetKind.Slack, Slack(Fields("a", S(2001)))), "Slack.FieldTooLong", "$.blocks[0].fields[1].text");

    [Fact]
    public void SlackEmptyField() => AssertOnly(Validate(TargetKind.Slack, Slack(Fields("a", ""))), "Slack.FieldEmpty", "$.blocks[0].fields[1].text");

    [Fact]
    public void SlackMoreThan50Blocks() =>
        AssertOnly(Validate(TargetKind.Slack, Slack(Enumerable.Range(0, 51).Select(_ => (JsonNode)Section("x")).ToArray())), "Slack.TooManyBlocks", "$.blocks");

    [Fact]
    public void SlackButtonTextOver75() => AssertOnly(Validate(TargetKind.Slack, Slack(Button(S(76)))), "Slack.ButtonTextTooLong", "$.blocks[0].elements[0].text.text");

    [Fact]
    public void SlackButtonUrlOver3000() => AssertOnly(Validate(TargetKind.Slack, Slack(Button(url: S(3001)))), "Slack.ButtonUrlTooLong", "$.blocks[0].elements[0].url");

    [Fact]
    public void SlackButtonValueOver2000() => AssertOnly(Validate(TargetKind.Slack, Slack(Button(value: S(2001)))), "Slack.ButtonValueTooLong", "$.blocks[0].elements[0].value");

    [Fact]
    public void SlackButtonStyle() => AssertOnly(Validate(TargetKind.Slack, Slack(Button(style: "warning"))), "Slack.InvalidButtonStyle", "$.blocks[0].elements[0].style");

    [Fact]
    public void SlackWithoutTextOrBlocksIsRefused() =>
        AssertOnly(Validate(TargetKind.Slack, new JsonObject { ["username"] = "x" }), "Slack.MissingText", "$.text");

    [Fact]
    public void SlackBlocksWithoutTextWarn()
    {
        var findings = Validate(TargetKind.Slack, new JsonObject { ["blocks"] = new JsonArray(Section("x")) });
        AssertValid(findings);
        Assert.Contains(findings, f => f.Code == "Slack.MissingText" && f.Severity == DiagnosticSeverity.Warning);
    }

    [Fact]
    public void SlackCountsEmojiAsTwoUnitsToStaySafe() =>
        AssertOnly(Validate(TargetKind.Slack, Slack(Header(string.Concat(Enumerable.Repeat("🔥", 76))))), "Slack.HeaderTooLong", "$.blocks[0].text.text");

    // ---- Discord ----

    private static JsonObject Embed(string? title = null, string? description = null, JsonArray? fields = null, string? footer = null, string? author = null, JsonNode? timestamp = null, JsonNode? color = null)
    {
        var embed = new JsonObject();
        if (title != null) embed["title"] = title;
        if (description != null) embed["description"] = description;
        if (fields != null) embed["fields"] = fields;
        if (footer != null) embed["footer"] = new JsonObject { ["text"] = footer };
        if (author != null) embed["author"] = new JsonObject { ["name"] = author };
        if (timestamp != null) embed["timestamp"] = timestamp;
        if (color != null) embed["color"] = color;
        return embed;
    }

    private static JsonArray Field(string name, string value, int count = 1) =>
        new(Enumerable.Range(0, count).Select(_ => (JsonNode)new JsonObject { ["name"] = name, ["value"] = value }).ToArray());

    private static JsonObject Discord(string? content = "hi", params JsonNode[] embeds)
    {
        var message = new JsonObject { ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() } };
        if (content != null) message["content"] = content;
        if (embeds.Length > 0) message["embeds"] = new JsonArray(embeds);
        return message;
    }

    [Fact]
    public void DiscordAcceptsEveryLimitExactly()
    {
        Assert.Empty(Validate(TargetKind.Discord, Discord(S(2000),
            Embed(S(256), S(4096), Field("n", "v", 25), timestamp: "2026-01-08T10:00:00Z", color: 15158332), Embed(footer: S(1000), author: S(256)))));
        Assert.Empty(Validate(TargetKind.Discord, Discord(null, Embed(fields: Field(S(256), S(1024)), footer: S(2048)))));
    }

    [Fact]
    public void DiscordContentOver2000() => AssertOnly(Validate(TargetKind.Discord, Discord(S(2001))), "Discord.ContentTooLong", "$.content");

    [Fact]
    public void DiscordMoreThan10Embeds() =>
        AssertOnly(Validate(TargetKind.Discord, Discord("x", Enumerable.Range(0, 11).Select(_ => (JsonNode)Embed("t")).ToArray())), "Discord.TooManyEmbeds", "$.embeds");

    [Fact]
    public void DiscordTitleOver256() => AssertOnly(Validate(TargetKind.Discord, Discord("x", Embed("t"), Embed(S(257)))), "Discord.TitleTooLong", "$.embeds[1].title");

    [Fact]
    public void DiscordDescriptionOver4096() => AssertOnly(Validate(TargetKind.Discord, Discord("x", Embed(description: S(4097)))), "Discord.DescriptionTooLong", "$.embeds[0].description");

    [Fact]
    public void DiscordMoreThan25Fields() => AssertOnly(Validate(TargetKind.Discord, Discord("x", Embed(fields: Field("n", "v", 26)))), "Discord.TooManyFields", "$.embeds[0].fields");

    [Fact]
    public void DiscordFieldNameOver256() =>
        AssertOnly(Validate(TargetKind.Discord, Discord("x", Embed(fields: Field(S(257), "v")))), "Discord.FieldNameTooLong", "$.embeds[0].fields[0].name");

    [Fact]
    public void DiscordFieldValueOver1024() =>
        AssertOnly(Validate(TargetKind.Discord, Discord("x", Embed(fields: Field("n", S(1025))))), "Discord.FieldValueTooLong", "$.embeds[0].fields[0].value");

    [Fact]
    public void DiscordEmptyFieldValue() =>
        AssertOnly(Validate(TargetKind.Discord, Discord("x", Embed(fields: Field("n", " ")))), "Discord.FieldValueEmpty", "$.embeds[0].fields[0].value");

    [Fact]
    public void DiscordFooterOver2048() => AssertOnly(Validate(TargetKind.Discord, Discord("x", Embed(footer: S(2049)))), "Discord.FooterTooLong", "$.embeds[0].footer.text");

    [Fact]
    public void DiscordAuthorOver256() => AssertOnly(Validate(TargetKind.Discord, Discord("x", Embed(author: S(257)))), "Discord.AuthorNameTooLong", "$.embeds[0].author.name");

    [Fact]
    public void DiscordEmbedsOver6000Together() =>
        AssertOnly(Validate(TargetKind.Discord, Discord("x", Embed(description: S(4000)), Embed(description: S(2001)))), "Discord.EmbedsTooLong", "$.embeds");

    [Fact]
    public void DiscordTrimsWhitespaceBeforeCountingTheTotal() =>
        AssertValid(Validate(TargetKind.Discord, Discord("x", Embed(description: S(4000)), Embed(description: "   " + S(2000) + "\n\n"))));

    [Theory]
    [InlineData("Jan 8, 2026 10:00 AM")]
    [InlineData("2026-01-08 10:00")]
    [InlineData("yesterday")]
    public void DiscordTimestampMustBeIso8601AndTheDateFilterIsSuggested(string timestamp)
    {
        var findings = Validate(TargetKind.Discord, Discord("x", Embed("t", timestamp: timestamp)));

        AssertOnly(findings, "Discord.InvalidTimestamp", "$.embeds[0].timestamp");
        Assert.Contains("date:", findings[0].Message);
        Assert.Contains("iso8601", findings[0].Message);
    }

    [Theory]
    [InlineData("2026-01-08T10:00:00Z")]
    [InlineData("2026-01-08T10:00:00.123+01:00")]
    [InlineData("2026-01-08T10:00:00+0000")]
    public void DiscordTakesIso8601Timestamps(string timestamp) =>
        Assert.Empty(Validate(TargetKind.Discord, Discord("x", Embed("t", timestamp: timestamp))));

    [Fact]
    public void DiscordColorIsAnInteger() => AssertOnly(Validate(TargetKind.Discord, Discord("x", Embed("t", color: "#ff0000"))), "Discord.InvalidColor", "$.embeds[0].color");

    [Fact]
    public void DiscordEmptyMessage() => AssertOnly(Validate(TargetKind.Discord, Discord(" ")), "Discord.EmptyMessage", "$");

    [Fact]
    public void DiscordWithoutAllowedMentionsWarns()
    {
        var findings = Validate(TargetKind.Discord, new JsonObject { ["content"] = "x" });
        AssertValid(findings);
        Assert.Contains(findings, f => f.Code == "Discord.NoAllowedMentions" && f.Path == "$.allowed_mentions");
    }

    // ---- Teams ----

    private static JsonObject Teams(string text = "hi", string contentType = TeamsValidator.AdaptiveCardContentType, string cardType = "AdaptiveCard", string type = "message") =>
        new()
        {
            ["type"] = type,
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["contentType"] = contentType,
                ["content"] = new JsonObject
                {
                    ["type"] = cardType,
                    ["version"] = "1.4",
                    ["body"] = new JsonArray(new JsonObject { ["type"] = "TextBlock", ["text"] = text }),
                },
            }),
        };

    [Fact]
    public void TeamsAcceptsTheEnvelope() => Assert.Empty(Validate(TargetKind.Teams, Teams()));

    [Fact]
    public void TeamsCountsUtf8BytesAgainst28KB()
    {
        var envelope = Encoding(Teams(string.Empty));
        // 'é' is one UTF-16 unit but two UTF-8 bytes: a limit counted in characters would let this through.
        var fits = (TeamsValidator.MaxBytes - envelope) / 2;
        AssertValid(Validate(TargetKind.Teams, Teams(S(fits, 'é'))));
        AssertOnly(Validate(TargetKind.Teams, Teams(S(fits + 1, 'é'))), "Teams.PayloadTooLarge", "$");
        Assert.True(S(fits + 1, 'é').Length + envelope < TeamsValidator.MaxBytes);
    }

    private static int Encoding(JsonNode node) => System.Text.Encoding.UTF8.GetByteCount(node.ToJsonString(Relaxed));

    [Fact]
    public void TeamsNeedsTypeMessage() => AssertOnly(Validate(TargetKind.Teams, Teams(type: "card")), "Teams.NotAMessage", "$.type");

    [Fact]
    public void TeamsNeedsTheAdaptiveCardContentType() =>
        AssertOnly(Validate(TargetKind.Teams, Teams(contentType: "application/json")), "Teams.InvalidContentType", "$.attachments[0].contentType");

    [Fact]
    public void TeamsNeedsAnAdaptiveCard() => AssertOnly(Validate(TargetKind.Teams, Teams(cardType: "MessageCard")), "Teams.NotAnAdaptiveCard", "$.attachments[0].content.type");

    [Fact]
    public void TeamsNeedsAttachments() =>
        AssertOnly(Validate(TargetKind.Teams, new JsonObject { ["type"] = "message", ["text"] = "legacy connector shape" }), "Teams.MissingAttachments", "$.attachments");

    // ---- PagerDuty ----

    private static JsonObject PagerDuty(string action = "trigger", string? dedupKey = null, string summary = "s", string source = "prod", string severity = "error", string? key = null)
    {
        var e = new JsonObject
        {
            ["routing_key"] = key ?? S(32, 'k'),
            ["event_action"] = action,
            ["payload"] = new JsonObject { ["summary"] = summary, ["source"] = source, ["severity"] = severity },
        };
        if (dedupKey != null) e["dedup_key"] = dedupKey;
        return e;
    }

    [Fact]
    public void PagerDutyAcceptsEveryLimitExactly() => Assert.Empty(Validate(TargetKind.PagerDuty, PagerDuty(dedupKey: S(255), summary: S(1024))));

    [Fact]
    public void PagerDutySummaryOver1024() => AssertOnly(Validate(TargetKind.PagerDuty, PagerDuty(summary: S(1025))), "PagerDuty.SummaryTooLong", "$.payload.summary");

    [Fact]
    public void PagerDutyDedupKeyOver255() => AssertOnly(Validate(TargetKind.PagerDuty, PagerDuty(dedupKey: S(256))), "PagerDuty.DedupKeyTooLong", "$.dedup_key");

    [Fact]
    public void PagerDutyResolveNeedsADedupKey() => AssertOnly(Validate(TargetKind.PagerDuty, PagerDuty("resolve")), "PagerDuty.MissingDedupKey", "$.dedup_key");

    [Fact]
    public void PagerDutyEventAction() => AssertOnly(Validate(TargetKind.PagerDuty, PagerDuty("fire")), "PagerDuty.InvalidEventAction", "$.event_action");

    [Fact]
    public void PagerDutySeverity() => AssertOnly(Validate(TargetKind.PagerDuty, PagerDuty(severity: "high")), "PagerDuty.InvalidSeverity", "$.payload.severity");

    [Fact]
    public void PagerDutySource() => AssertOnly(Validate(TargetKind.PagerDuty, PagerDuty(source: "")), "PagerDuty.MissingSource", "$.payload.source");

    [Fact]
    public void PagerDutyRoutingKeyLengthWithoutShowingIt()
    {
        var findings = Validate(TargetKind.PagerDuty, PagerDuty(key: "SECRETKEY123"));
        AssertOnly(findings, "PagerDuty.InvalidRoutingKey", "$.routing_key");
        Assert.DoesNotContain("SECRETKEY123", findings[0].Message);
    }

    // ---- Generic and paths ----

    [Fact]
    public void GenericOnlyNeedsJson()
    {
        Assert.Empty(PayloadValidator.For(TargetKind.Generic).Validate("[1, \"two\"]"));
        var findings = PayloadValidator.For(TargetKind.Generic).Validate("{\"a\": }");
        AssertOnly(findings, DiagnosticCodes.InvalidJson, "$");
    }

    [Fact]
    public void PathsQuoteNamesThatAreNotIdentifiers()
    {
        Assert.Equal("$.blocks[3].text", PayloadValidator.Path(PayloadValidator.Path("$.blocks", 3), "text"));
        Assert.Equal("$['odd name']['it\\'s']", PayloadValidator.Path(PayloadValidator.Path("$", "odd name"), "it's"));
    }

    [Fact]
    public void MessagesShortenLongValues()
    {
        var findings = Validate(TargetKind.Discord, Discord("x", Embed("t", timestamp: S(5000))));
        Assert.True(findings[0].Message.Length < 400, findings[0].Message);
    }
}
