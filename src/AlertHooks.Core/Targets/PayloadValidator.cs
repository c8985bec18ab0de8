using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AlertHooks.Targets
{
    /// <summary>
    /// Checks a rendered payload against what a target accepts, so that a message the target would refuse
    /// with a 400 is caught before it is sent. Every finding names the JSON path of the offending value.
    /// </summary>
    public abstract class PayloadValidator
    {
        private protected PayloadValidator()
        {
        }

        public abstract TargetKind Target { get; }

        /// <summary>Validates rendered JSON text: a payload that does not parse is one <c>InvalidJson</c> error.</summary>
        public IReadOnlyList<TemplateDiagnostic> Validate(string payload)
        {
            if (payload == null)
            {
                throw new ArgumentNullException(nameof(payload));
            }

            var findings = new Findings(Target);
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(payload);
            }
            catch (JsonException exception)
            {
                var line = (int)(exception.LineNumber ?? 0) + 1;
                var column = (int)(exception.BytePositionInLine ?? 0) + 1;
                findings.Add(DiagnosticCodes.InvalidJson, "$", $"The payload is not valid JSON (line {line}, column {column}).", prefixed: false);
                return findings.Items;
            }

            using (document)
            {
                Check(payload, document.RootElement, findings);
            }

            return findings.Items;
        }

        /// <summary>Adds a finding for every rule of the target the payload breaks.</summary>
        protected abstract void Check(string payload, JsonElement root, Findings findings);

        /// <summary>The validator of a target.</summary>
        public static PayloadValidator For(TargetKind target)
        {
            switch (target)
            {
                case TargetKind.Slack:
                    return SlackValidator.Instance;
                case TargetKind.Discord:
                    return DiscordValidator.Instance;
                case TargetKind.Teams:
                    return TeamsValidator.Instance;
                case TargetKind.PagerDuty:
                    return PagerDutyValidator.Instance;
                default:
                    return GenericValidator.Instance;
            }
        }

        /// <summary>
        /// Text length as the targets count it. UTF-16 units, which is never less than the code points some
        /// targets count, so a payload accepted here is accepted there.
        /// </summary>
        protected static int Length(string text) => text.Length;

        protected static bool TryGetString(JsonElement parent, string name, out string value)
        {
            if (parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String)
            {
                value = element.GetString() ?? string.Empty;
                return true;
            }

            value = string.Empty;
            return false;
        }

        protected static bool TryGet(JsonElement parent, string name, JsonValueKind kind, out JsonElement value)
        {
            if (parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out value) && value.ValueKind == kind)
            {
                return true;
            }

            value = default;
            return false;
        }

        protected static bool Has(JsonElement parent, string name) =>
            parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

        /// <summary>A JSON path: <c>$.blocks[0].text.text</c>; names that are not identifiers are quoted.</summary>
        public static string Path(string parent, string name)
        {
            foreach (var c in name)
            {
                if (!(char.IsLetterOrDigit(c) || c == '_' || c == '$'))
                {
                    return parent + "['" + name.Replace("\\", "\\\\").Replace("'", "\\'") + "']";
                }
            }

            return name.Length == 0 ? parent + "['']" : parent + "." + name;
        }

        public static string Path(string parent, int index) => parent + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

        /// <summary>Quotes a value in a message, shortened so that a 5,000-character token does not flood it.</summary>
        protected static string Show(string value)
        {
            const int max = 40;
            var shown = value.Length <= max ? value : value.Substring(0, char.IsHighSurrogate(value[max - 1]) ? max - 1 : max) + "…";
            var builder = new StringBuilder(shown.Length + 2).Append('\'');
            foreach (var c in shown)
            {
                builder.Append(char.IsControl(c) ? ' ' : c);
            }

            return builder.Append('\'').ToString();
        }

        /// <summary>The findings of one validation.</summary>
        protected sealed class Findings
        {
            private readonly string _prefix;
            private readonly List<TemplateDiagnostic> _items = new List<TemplateDiagnostic>();

            public Findings(TargetKind target) => _prefix = target.ToString() + ".";

            public IReadOnlyList<TemplateDiagnostic> Items => _items;

            /// <summary>An error: the target refuses the payload.</summary>
            public void Add(string code, string path, string message, bool prefixed = true) =>
                _items.Add(new TemplateDiagnostic(DiagnosticSeverity.Error, prefixed ? _prefix + code : code, message, path: path));

            /// <summary>A warning: the target takes the payload, but it is probably not what was meant.</summary>
            public void Warn(string code, string path, string message) =>
                _items.Add(new TemplateDiagnostic(DiagnosticSeverity.Warning, _prefix + code, message, path: path));

            /// <summary>Adds an error when a string is longer than the target allows.</summary>
            public void MaxLength(string code, string path, string value, int max, string what)
            {
                if (Length(value) > max)
                {
                    Add(code, path, $"{what} is {Length(value)} characters; the limit is {max}. Shorten it with the truncate filter, e.g. {{{{ token | truncate: {max} }}}}.");
                }
            }
        }
    }

    /// <summary>Any HTTPS endpoint: the payload must be JSON, nothing more is known.</summary>
    public sealed class GenericValidator : PayloadValidator
    {
        internal static readonly GenericValidator Instance = new GenericValidator();

        public override TargetKind Target => TargetKind.Generic;

        protected override void Check(string payload, JsonElement root, Findings findings)
        {
        }
    }
}
