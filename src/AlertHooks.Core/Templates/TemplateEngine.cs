using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Tasks;
using Fluid;
using Fluid.Values;

namespace AlertHooks.Templates
{
    /// <summary>One parser, a parse-once cache and a fresh context per render.</summary>
    public static class TemplateEngine
    {
        private const int MaxCachedTemplates = 1024;

        // Built on first need: plain {{token}} bodies never need them, and the parser's grammar costs a few hundred
        // milliseconds of JIT in a fresh process.
        private static readonly Lazy<FluidParser> LazyParser = new Lazy<FluidParser>(() => new FluidParser());

        private static readonly Lazy<TemplateOptions> LazyOptions = new Lazy<TemplateOptions>(() => new TemplateOptionsBuilder()
            .WithCultureInfo(System.Globalization.CultureInfo.InvariantCulture)
            .WithTimeZone(TimeZoneInfo.Utc)
            .WithMaxSteps(100_000)
            .WithMaxRecursion(20)
            .AddAlertFilters()
            .Build());

        internal static FluidParser Parser => LazyParser.Value;

        private static TemplateOptions Options => LazyOptions.Value;

        private static readonly ConcurrentDictionary<string, BodyTemplate> Cache =
            new ConcurrentDictionary<string, BodyTemplate>(StringComparer.Ordinal);

        private static readonly JavaScriptEncoder OutputEncoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

        // Keyed by the string instance: a policy passes the same Body string on every send, and finding it by reference
        // costs a few nanoseconds where hashing a kilobyte of template text costs hundreds.
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<string, BodyTemplate> ByInstance =
            new System.Runtime.CompilerServices.ConditionalWeakTable<string, BodyTemplate>();

        /// <summary>Parses a body template, or returns the one parsed before from the same text.</summary>
        public static BodyTemplate GetTemplate(string source)
        {
            if (source == null)
            {
                throw new ArgumentNullException(nameof(source));
            }

            if (ByInstance.TryGetValue(source, out var known))
            {
                return known;
            }

            if (!Cache.TryGetValue(source, out var cached))
            {
                if (Cache.Count >= MaxCachedTemplates)
                {
                    Cache.Clear();
                }

                cached = Cache.GetOrAdd(source, s => new BodyTemplate(s));
            }

            try
            {
                ByInstance.Add(source, cached);
            }
            catch (ArgumentException)
            {
                // Another thread added the same instance first: either entry is the same template.
            }

            return cached;
        }

        /// <summary>
        /// What can be known without rendering: syntax errors, unknown tokens (errors) and tokens the event
        /// type does not provide (warnings).
        /// </summary>
        public static IReadOnlyList<TemplateDiagnostic> Analyze(BodyTemplate template, AlertEventType eventType) =>
            template.Analysis(eventType, AnalyzeOnce);

        private static IReadOnlyList<TemplateDiagnostic> AnalyzeOnce(BodyTemplate template, AlertEventType eventType)
        {
            var diagnostics = new List<TemplateDiagnostic>(template.SyntaxErrors);
            foreach (var reference in template.References)
            {
                if (reference.Name == EnvironmentValue.RootName)
                {
                    if (reference.Member == null)
                    {
                        diagnostics.Add(new TemplateDiagnostic(DiagnosticSeverity.Error, DiagnosticCodes.UnknownToken,
                            "'env' needs a variable name, as in {{ env.SLACK_WEBHOOK_URL }}.", reference.Line, reference.Column, token: "env"));
                    }

                    continue;
                }

                if (!TokenCatalog.TryGet(reference.Name, out var token))
                {
                    diagnostics.Add(new TemplateDiagnostic(DiagnosticSeverity.Error, DiagnosticCodes.UnknownToken,
                        $"Unknown token '{reference.Name}' at line {reference.Line}, column {reference.Column}.{Suggest(reference.Name)} Run Get-AlertToken to list the tokens.",
                        reference.Line, reference.Column, token: reference.Name));
                }
                else if (!token.IsGlobal && !token.EventTypes.Contains(eventType))
                {
                    diagnostics.Add(new TemplateDiagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.TokenNotAvailable,
                        $"Token '{reference.Name}' is not available for {eventType} events and renders empty.",
                        reference.Line, reference.Column, token: reference.Name));
                }
            }

            return diagnostics.ToArray();
        }

        /// <summary>The environment variables a template reads through <c>{{ env.NAME }}</c>.</summary>
        public static IReadOnlyList<string> EnvironmentReferences(BodyTemplate template) =>
            template.References.Where(r => r.Name == EnvironmentValue.RootName && r.Member != null)
                .Select(r => r.Member!).Distinct(StringComparer.Ordinal).ToArray();

        /// <summary>Renders a body to JSON text; throws <see cref="TemplateException"/> on any error.</summary>
        public static RenderResult Render(string source, RenderRequest request) => Render(GetTemplate(source), request);

        public static RenderResult Render(BodyTemplate template, RenderRequest request)
        {
            var diagnostics = Analyze(template, request.Event.EventType);
            var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
            if (errors.Length > 0)
            {
                throw new TemplateException(errors);
            }

            var environment = new EnvironmentValue(request.Environment);
            TemplateContext? context = null;
            var builder = new StringBuilder(template.Source.Length + 256);
            try
            {
                if (template.IsJsonShaped)
                {
                    var leaf = new JsonStringOutput(builder);
                    foreach (var segment in template.Segments)
                    {
                        if (segment.Template == null)
                        {
                            builder.Append(segment.Text);
                            continue;
                        }

                        builder.Append('"');
                        if (segment.Template.Plain != null)
                        {
                            segment.Template.Plain.Render(builder, jsonEscape: true, name => ResolveText(name, request), environment.Read);
                            builder.Append('"');
                            continue;
                        }

                        context ??= CreateContext(template, request, environment);
                        var rendering = segment.Template.Fluid.RenderAsync(leaf, NullEncoder.Default, context);
                        if (!rendering.IsCompletedSuccessfully)
                        {
                            rendering.AsTask().GetAwaiter().GetResult();
                        }

                        leaf.Complete();
                        builder.Append('"');
                    }
                }
                else
                {
                    context = CreateContext(template, request, environment);
                    builder.Append(template.Segments[0].Template!.Fluid.Render(context, OutputEncoder));
                    ValidateJson(builder.ToString());
                }
            }
            catch (MissingEnvironmentVariableException missing)
            {
                throw new TemplateException(missing.Diagnostic);
            }
            catch (FluidException fluid) when (fluid.InnerException is MissingEnvironmentVariableException missing)
            {
                throw new TemplateException(missing.Diagnostic);
            }

            return new RenderResult(builder.ToString(), diagnostics, environment.ReadValues);
        }

        /// <summary>
        /// Renders a URL or a header value: plain text in which only <c>{{ env.NAME }}</c> may appear.
        /// The values read are added to <paramref name="secrets"/>.
        /// </summary>
        public static string RenderText(string source, Func<string, string?> environment, ICollection<string> secrets)
        {
            if (source.IndexOf("{{", StringComparison.Ordinal) < 0 && source.IndexOf("{%", StringComparison.Ordinal) < 0)
            {
                return source;
            }

            var template = GetTemplate(source);
            var problems = template.SyntaxErrors.ToList();
            problems.AddRange(template.References.Where(r => r.Name != EnvironmentValue.RootName || r.Member == null).Select(r =>
                new TemplateDiagnostic(DiagnosticSeverity.Error, DiagnosticCodes.UnknownToken,
                    $"Only {{{{ env.NAME }}}} can be used here, not '{r.Name}'.", r.Line, r.Column, token: r.Name)));
            if (problems.Count > 0)
            {
                throw new TemplateException(problems);
            }

            var env = new EnvironmentValue(environment);
            try
            {
                var leaf = template.Segments[0].Template!;
                string text;
                if (leaf.Plain != null)
                {
                    var builder = new StringBuilder(source.Length + 64);
                    leaf.Plain.Render(builder, jsonEscape: false, _ => null, env.Read);
                    text = builder.ToString();
                }
                else
                {
                    var context = new TemplateContext(Options);
                    context.SetValue(EnvironmentValue.RootName, env);
                    text = leaf.Fluid.Render(context);
                }

                foreach (var value in env.ReadValues)
                {
                    secrets.Add(value);
                }

                return text;
            }
            catch (MissingEnvironmentVariableException missing)
            {
                throw new TemplateException(missing.Diagnostic);
            }
            catch (FluidException fluid) when (fluid.InnerException is MissingEnvironmentVariableException missing)
            {
                throw new TemplateException(missing.Diagnostic);
            }
        }

        private static TemplateContext CreateContext(BodyTemplate template, RenderRequest request, EnvironmentValue environment)
        {
            var context = new TemplateContext(Options);
            var alertEvent = request.Event;

            // "now" is the moment of the event: a replayed or re-rendered alert keeps its time.
            var occurredAt = alertEvent.OccurredAt;
            context.Now = () => occurredAt;

            // Only what the template reads: the scanner that finds the references is the one that checks them,
            // so a variable it did not see would be an unknown token, not a silently missing value.
            foreach (var name in template.Roots)
            {
                var value = Resolve(name, request);
                if (value != null)
                {
                    context.SetValue(name, value);
                }
            }

            context.SetValue(EnvironmentValue.RootName, environment);
            return context;
        }

        private static FluidValue? Resolve(string name, RenderRequest request)
        {
            if (request.Event.Tokens.TryGetValue(name, out var token) && token is DateTimeOffset moment)
            {
                return new TimeValue(moment);
            }

            var text = ResolveText(name, request);
            return text == null ? null : StringValue.Create(text);
        }

        /// <summary>A token as text, the way a plain <c>{{token}}</c> prints it; null when the event has no value.</summary>
        private static string? ResolveText(string name, RenderRequest request)
        {
            var alertEvent = request.Event;
            switch (name)
            {
                case "alert_summary":
                    return alertEvent.Summary;
                case "alert_content":
                    return alertEvent.Content;
                case "alert_policy_name":
                    return request.PolicyName;
                case "alert_policy_id":
                    return request.PolicyId;
                case "notification_type":
                    return alertEvent.NotificationType;
                case "is_sample":
                    return alertEvent.IsSample ? "true" : "false";
                case "deployment_name":
                    return alertEvent.GetText("deployment_name") ?? request.DeploymentName ?? string.Empty;
                case "deployment_url":
                    return alertEvent.GetText("deployment_url") ?? request.DeploymentUrl ?? string.Empty;
            }

            return alertEvent.GetText(name);
        }

        private static void ValidateJson(string json)
        {
            try
            {
                using (JsonDocument.Parse(json))
                {
                }
            }
            catch (JsonException exception)
            {
                var line = (int)(exception.LineNumber ?? 0) + 1;
                var column = (int)(exception.BytePositionInLine ?? 0) + 1;
                throw new TemplateException(new TemplateDiagnostic(DiagnosticSeverity.Error, DiagnosticCodes.InvalidJson,
                    $"The rendered body is not valid JSON at line {line}, column {column}. Keep tokens inside JSON strings (\"{{{{token}}}}\"), or write numbers and objects with the json filter.",
                    line, column));
            }
        }

        private static string Suggest(string name)
        {
            var best = TokenCatalog.All
                .Select(t => (t.Name, Distance: Levenshtein(name, t.Name)))
                .OrderBy(p => p.Distance)
                .FirstOrDefault();
            return best.Name != null && best.Distance <= Math.Max(2, name.Length / 3) ? $" Did you mean '{best.Name}'?" : string.Empty;
        }

        private static int Levenshtein(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (var j = 0; j <= b.Length; j++)
            {
                previous[j] = j;
            }

            for (var i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (var j = 1; j <= b.Length; j++)
                {
                    var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                }

                (previous, current) = (current, previous);
            }

            return previous[b.Length];
        }
    }
}
