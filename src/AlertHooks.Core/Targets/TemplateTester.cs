using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using AlertHooks.Templates;

namespace AlertHooks.Targets
{
    /// <summary>
    /// Renders a body for an event and validates the payload for its target: what Test-AlertTemplate reports and
    /// what New-AlertPolicy refuses. Environment variables are never read into the result: <c>{{ env.NAME }}</c>
    /// renders a placeholder, and a variable that is not set is a warning (it only has to exist at send time).
    /// </summary>
    public static class TemplateTester
    {
        /// <summary>The policy name and id a body given without a policy renders with.</summary>
        public const string SamplePolicyName = "Sample policy";

        public const string SamplePolicyId = "00000000-0000-0000-0000-000000000000";

        public static TemplateTestResult Test(string body, TargetKind target, AlertEvent alertEvent, TemplateTestSettings? settings = null)
        {
            settings ??= new TemplateTestSettings();
            var errors = new List<TemplateDiagnostic>();
            var warnings = new List<TemplateDiagnostic>();
            var template = TemplateEngine.GetTemplate(body);
            var analysis = TemplateEngine.Analyze(template, alertEvent.EventType);
            Split(analysis, errors, warnings);
            var unknown = Names(analysis, DiagnosticCodes.UnknownToken);
            var unavailable = Names(analysis, DiagnosticCodes.TokenNotAvailable);

            var isSet = settings.Environment ?? Environment.GetEnvironmentVariable;
            foreach (var name in TemplateEngine.EnvironmentReferences(template).Where(n => isSet(n) == null))
            {
                warnings.Add(new TemplateDiagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.MissingEnvironmentVariable,
                    $"Environment variable '{name}' is not set here; {{{{ env.{name} }}}} needs it when the alert is sent.", token: name));
            }

            string? rendered = null;
            if (errors.Count == 0)
            {
                try
                {
                    rendered = TemplateEngine.Render(template, new RenderRequest(alertEvent, settings.PolicyName ?? SamplePolicyName, settings.PolicyId ?? SamplePolicyId)
                    {
                        DeploymentName = settings.DeploymentName,
                        DeploymentUrl = settings.DeploymentUrl,
                        Environment = Placeholder,
                    }).Body;
                }
                catch (TemplateException exception)
                {
                    errors.AddRange(exception.Diagnostics);
                }
            }

            if (rendered != null)
            {
                Split(PayloadValidator.For(target).Validate(rendered).Select(d => Locate(d, template)), errors, warnings);
            }

            return new TemplateTestResult(settings.PolicyName, target, alertEvent.EventType, errors, warnings, unknown, unavailable, rendered);
        }

        /// <summary>
        /// What <c>{{ env.NAME }}</c> renders to in a test: 32 letters and digits that name the variable, the shape of
        /// a PagerDuty routing key, so that the validator judges the rest of the payload.
        /// </summary>
        public static string Placeholder(string name)
        {
            var builder = new StringBuilder("env");
            foreach (var c in name.Where(char.IsLetterOrDigit))
            {
                builder.Append(c);
            }

            return builder.Append('x', 32).ToString(0, 32);
        }

        /// <summary>Says which template text a payload finding comes from, when the path is one of the template's leaves.</summary>
        private static TemplateDiagnostic Locate(TemplateDiagnostic diagnostic, BodyTemplate template)
        {
            if (diagnostic.Path == null || !template.Leaves.TryGetValue(diagnostic.Path, out var leaf))
            {
                return diagnostic;
            }

            var text = leaf.Text.Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t");
            if (text.Length > 80)
            {
                text = text.Substring(0, char.IsHighSurrogate(text[79]) ? 79 : 80) + "…";
            }

            return new TemplateDiagnostic(diagnostic.Severity, diagnostic.Code,
                $"{diagnostic.Message} The template writes \"{text}\" there (line {leaf.Line}, column {leaf.Column}).",
                path: diagnostic.Path, token: diagnostic.Token);
        }

        private static void Split(IEnumerable<TemplateDiagnostic> diagnostics, List<TemplateDiagnostic> errors, List<TemplateDiagnostic> warnings)
        {
            foreach (var diagnostic in diagnostics)
            {
                (diagnostic.Severity == DiagnosticSeverity.Error ? errors : warnings).Add(diagnostic);
            }
        }

        private static string[] Names(IEnumerable<TemplateDiagnostic> diagnostics, string code) =>
            diagnostics.Where(d => d.Code == code && d.Token != null).Select(d => d.Token!).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The policy values and environment a template test renders with.</summary>
    public sealed class TemplateTestSettings
    {
        /// <summary>The policy the body belongs to; null for a body given on its own (it renders with a sample name).</summary>
        public string? PolicyName { get; set; }

        public string? PolicyId { get; set; }

        public string? DeploymentName { get; set; }

        public string? DeploymentUrl { get; set; }

        /// <summary>Tells whether a variable is set; the process environment unless a caller substitutes one.</summary>
        public Func<string, string?>? Environment { get; set; }
    }
}
