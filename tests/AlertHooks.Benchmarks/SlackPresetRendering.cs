using System.Text;
using System.Text.RegularExpressions;
using AlertHooks.Targets;
using AlertHooks.Templates;
using BenchmarkDotNet.Attributes;
using Scriban.Runtime;

namespace AlertHooks.Benchmarks;

/// <summary>
/// The Slack preset for a JobFailure event, rendered to JSON by AlertHooks and by three alternatives that do the same
/// work (the preset's filters and JSON-escaping of every value), each with its template parsed once beforehand.
/// </summary>
[MemoryDiagnoser]
public class SlackPresetRendering
{
    private static readonly Regex LiquidOutput = new(@"\{\{(.*?)\}\}", RegexOptions.Singleline);

    private readonly AlertEvent _event = new(AlertEventType.JobFailure, new Dictionary<string, object?>
    {
        ["job_name"] = "daily_etl",
        ["run_id"] = "9f3b2c1a-4d5e-4f60-8a7b-1c2d3e4f5a6b",
        ["run_link"] = "https://example.dagster.cloud/prod/runs/9f3b2c1a-4d5e-4f60-8a7b-1c2d3e4f5a6b",
        ["failure_message"] = "Step 'load_data' failed: ConnectionError: could not reach \"warehouse\" <10.0.0.5>",
        ["start_time"] = new DateTimeOffset(2026, 1, 8, 10, 0, 0, TimeSpan.Zero),
        ["end_time"] = new DateTimeOffset(2026, 1, 8, 10, 5, 0, TimeSpan.Zero),
        ["user_name"] = "John Doe",
    });

    private RenderRequest _request = null!;
    private BodyTemplate _template = null!;
    private global::Scriban.Template _scriban = null!;
    private readonly ScriptObject _scribanFilters = new();
    private global::DotLiquid.Template _dotLiquid = null!;

    /// <summary>The Slack preset with the same placeholders, for the Replace chain.</summary>
    private const string ReplaceTemplate =
        """
        {
          "text": "{{text}}",
          "blocks": [
            {
              "type": "header",
              "text": {"type": "plain_text", "text": "{{header}}", "emoji": true}
            },
            {
              "type": "section",
              "fields": [
                {"type": "mrkdwn", "text": "*Deployment:*\n{{deployment_name}}"},
                {"type": "mrkdwn", "text": "*Alert Policy:*\n{{alert_policy_name}}"}
              ]
            },
            {
              "type": "section",
              "text": {"type": "mrkdwn", "text": "*Details:*\n```{{alert_content}}```"}
            },
            {
              "type": "context",
              "elements": [{"type": "mrkdwn", "text": "{{notification_type}} alert{{sample}}"}]
            },
            {
              "type": "actions",
              "elements": [
                {
                  "type": "button",
                  "text": {"type": "plain_text", "text": "View in Dagster", "emoji": true},
                  "url": "{{deployment_url}}",
                  "style": "danger"
                }
              ]
            }
          ]
        }
        """;

    [GlobalSetup]
    public void Setup()
    {
        _request = new RenderRequest(_event, "Critical Alerts", "abc123-def456")
        {
            DeploymentName = "prod",
            DeploymentUrl = "https://example.dagster.cloud/prod",
            Environment = _ => null,
        };
        _template = TemplateEngine.GetTemplate(Presets.SlackBody);

        // The other engines write raw text: every output gets an explicit JSON-escaping filter.
        var escaped = LiquidOutput.Replace(Presets.SlackBody, m => "{{" + m.Groups[1].Value.TrimEnd() + " | json_escape }}");
        _scribanFilters.Import("json_escape", new Func<string, string>(Json));
        _scribanFilters.Import("slack_escape", new Func<string, string>(TemplateFilters.EscapeSlack));
        _scriban = global::Scriban.Template.ParseLiquid(escaped);
        if (_scriban.HasErrors)
        {
            throw new InvalidOperationException(string.Join("; ", _scriban.Messages));
        }

        global::DotLiquid.Template.RegisterFilter(typeof(DotLiquidFilters));
        _dotLiquid = global::DotLiquid.Template.Parse(escaped);

        // Same output from all four, or the comparison means nothing.
        var expected = RenderAlertHooks();
        foreach (var (name, output) in new[] { ("Replace", NaiveReplace()), ("Scriban", RenderScriban()), ("DotLiquid", RenderDotLiquid()) })
        {
            if (output != expected)
            {
                throw new InvalidOperationException($"{name} renders differently:\n{output}\n---\n{expected}");
            }
        }
    }

    [Benchmark(Baseline = true, Description = "string.Replace chain (JSON-escaped)")]
    public string NaiveReplace()
    {
        var summary = _event.Summary;
        var header = summary.Length == 0 ? _event.NotificationType : summary;
        return ReplaceTemplate
            .Replace("{{text}}", Json(TemplateFilters.TruncateText(TemplateFilters.EscapeSlack(header), 3000, "...")))
            .Replace("{{header}}", Json(TemplateFilters.TruncateText(header, 150, "...")))
            .Replace("{{deployment_name}}", Json(TemplateFilters.TruncateText(TemplateFilters.EscapeSlack(_request.DeploymentName ?? "-"), 1900, "...")))
            .Replace("{{alert_policy_name}}", Json(TemplateFilters.TruncateText(TemplateFilters.EscapeSlack(_request.PolicyName), 1900, "...")))
            .Replace("{{alert_content}}", Json(TemplateFilters.TruncateText(TemplateFilters.EscapeSlack(_event.Content), 2980, "...")))
            .Replace("{{notification_type}}", Json(_event.NotificationType))
            .Replace("{{sample}}", _event.IsSample ? " (sample)" : string.Empty)
            .Replace("{{deployment_url}}", Json(TemplateFilters.TruncateText(_request.DeploymentUrl ?? "https://dagster.cloud", 3000, string.Empty)));
    }

    [Benchmark(Description = "AlertHooks (Fluid, JSON-safe)")]
    public string RenderAlertHooks() => TemplateEngine.Render(_template, _request).Body;

    [Benchmark(Description = "Scriban (Liquid mode)")]
    public string RenderScriban()
    {
        // A context per render (it is not thread-safe), the filters shared, the model fresh.
        var globals = new ScriptObject();
        foreach (var pair in Model())
        {
            globals[pair.Key] = pair.Value;
        }

        var context = new global::Scriban.LiquidTemplateContext();
        context.PushGlobal(_scribanFilters);
        context.PushGlobal(globals);
        return _scriban.Render(context);
    }

    [Benchmark(Description = "DotLiquid")]
    public string RenderDotLiquid() => _dotLiquid.Render(global::DotLiquid.Hash.FromDictionary(Model()));

    [Benchmark(Description = "Cold parse of the preset (AlertHooks)")]
    public BodyTemplate ColdParse() => new(Presets.SlackBody);

    [Benchmark(Description = "Cache hit: TemplateEngine.GetTemplate")]
    public BodyTemplate CacheHit() => TemplateEngine.GetTemplate(Presets.SlackBody);

    private Dictionary<string, object> Model()
    {
        var model = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var pair in _event.Tokens)
        {
            model[pair.Key] = AlertEvent.FormatValue(pair.Value);
        }

        model["alert_summary"] = _event.Summary;
        model["alert_content"] = _event.Content;
        model["alert_policy_name"] = _request.PolicyName;
        model["alert_policy_id"] = _request.PolicyId;
        model["notification_type"] = _event.NotificationType;
        model["is_sample"] = _event.IsSample ? "true" : "false";
        model["deployment_name"] = _request.DeploymentName!;
        model["deployment_url"] = _request.DeploymentUrl!;
        return model;
    }

    internal static string Json(string value)
    {
        var builder = new StringBuilder(value.Length + 8);
        JsonText.AppendEscaped(builder, value);
        return builder.ToString();
    }
}

/// <summary>DotLiquid finds filters by their Ruby-style names: SlackEscape is slack_escape.</summary>
public static class DotLiquidFilters
{
    public static string SlackEscape(string input) => TemplateFilters.EscapeSlack(input ?? string.Empty);

    public static string JsonEscape(string input) => SlackPresetRendering.Json(input ?? string.Empty);
}
