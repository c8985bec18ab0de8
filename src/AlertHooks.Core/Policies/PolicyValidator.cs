using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using AlertHooks.Delivery;
using AlertHooks.Templates;

namespace AlertHooks.Policies
{
    /// <summary>
    /// The checks every policy passes before it is created, stored, imported or synced: the same rules whichever way
    /// it came in. Errors throw; warnings (a token an event type does not provide) are returned.
    /// </summary>
    public static class PolicyValidator
    {
        private static readonly Regex IdPattern = new Regex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", RegexOptions.CultureInvariant);

        public static IReadOnlyList<TemplateDiagnostic> Validate(AlertPolicy policy)
        {
            ValidateName(policy.Name);
            ValidateId(policy.Id);
            foreach (var header in policy.RawHeaders)
            {
                DeliveryPreparer.ValidateHeader(header.Key, header.Value);
                ValidateReferences(header.Value);
            }

            ValidateUrl(policy.RawUrl);
            ValidateSigningSecret(policy.SigningSecret);
            ValidateMatch(policy.EventTypes, policy.Match);
            return ValidateTemplate(policy.Body, policy.EventTypes);
        }

        public static void ValidateName(string name)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Length > 128 || name.Any(char.IsControl) || name.Trim() != name)
            {
                throw new PolicyValidationException("InvalidPolicyName",
                    "A policy name has 1 to 128 characters, no control characters and no leading or trailing spaces.", "Name");
            }

            if (name.IndexOfAny(new[] { '*', '?', '[', ']', '`' }) >= 0)
            {
                throw new PolicyValidationException("InvalidPolicyName",
                    $"The policy name '{name}' contains a wildcard character (* ? [ ] `), which would make Get-AlertPolicy -Name ambiguous.", "Name");
            }
        }

        public static void ValidateId(string id)
        {
            if (!IdPattern.IsMatch(id))
            {
                throw new PolicyValidationException("InvalidPolicyId",
                    $"The policy id '{id}' is not valid: use letters, digits, '-', '_' or '.', at most 64 characters (a GUID is best).", "Id");
            }
        }

        /// <summary>A literal URL must be safe to send to; one with <c>{{ env.NAME }}</c> is checked when it is resolved.</summary>
        public static void ValidateUrl(string url)
        {
            if (url.IndexOf("{{", StringComparison.Ordinal) < 0 && url.IndexOf("{%", StringComparison.Ordinal) < 0)
            {
                DeliveryPreparer.ValidateUrl(url);
                return;
            }

            ValidateReferences(url);
        }

        public static void ValidateSigningSecret(string? secret)
        {
            if (string.IsNullOrEmpty(secret))
            {
                return;
            }

            if (AlertPolicy.IsEnvironmentReference(secret!))
            {
                ValidateReferences(secret!);
                return;
            }

            const string prefix = "whsec_";
            var valid = secret!.StartsWith(prefix, StringComparison.Ordinal) && secret.Length > prefix.Length + 8;
            if (valid)
            {
                try
                {
                    valid = Convert.FromBase64String(secret.Substring(prefix.Length)).Length >= 16;
                }
                catch (FormatException)
                {
                    valid = false;
                }
            }

            if (!valid)
            {
                // The message never repeats the value: it is a secret even when malformed.
                throw new PolicyValidationException("InvalidSigningSecret",
                    "The signing secret must be a Standard Webhooks secret ('whsec_' followed by at least 16 bytes in base64) or a {{ env.NAME }} reference to one.", "SigningSecret");
            }
        }

        /// <summary>Every key a token that all the policy's event types provide; every pattern a valid wildcard.</summary>
        public static void ValidateMatch(IEnumerable<AlertEventType> eventTypes, IDictionary<string, string> match)
        {
            var types = eventTypes.ToList();
            foreach (var pair in match)
            {
                if (!TokenCatalog.IsKnown(pair.Key))
                {
                    throw new PolicyValidationException("InvalidMatchKey",
                        $"-Match key '{pair.Key}' is not a known token. Run Get-AlertToken to list the tokens.", "Match");
                }

                var missing = types.Where(t => !TokenCatalog.IsAvailable(pair.Key, t)).ToList();
                if (missing.Count > 0)
                {
                    throw new PolicyValidationException("InvalidMatchKey",
                        $"-Match key '{pair.Key}' is not a token of {string.Join(", ", missing)} events, so the policy could never take them. Match only on tokens that every event type of the policy provides.", "Match");
                }

                if (pair.Value == null)
                {
                    throw new PolicyValidationException("InvalidMatchPattern", $"-Match key '{pair.Key}' has no pattern.", "Match");
                }

                try
                {
                    Wildcard.Compile(pair.Value);
                }
                catch (ArgumentException exception)
                {
                    throw new PolicyValidationException("InvalidMatchPattern", $"-Match key '{pair.Key}': {exception.Message}", "Match");
                }
            }
        }

        /// <summary>Template errors for any of the event types throw (each reported once); warnings are returned.</summary>
        public static IReadOnlyList<TemplateDiagnostic> ValidateTemplate(string body, IEnumerable<AlertEventType> eventTypes)
        {
            var template = TemplateEngine.GetTemplate(body);
            var errors = new List<TemplateDiagnostic>();
            var warnings = new List<TemplateDiagnostic>();
            foreach (var eventType in eventTypes)
            {
                foreach (var diagnostic in TemplateEngine.Analyze(template, eventType))
                {
                    var seen = diagnostic.Severity == DiagnosticSeverity.Error ? errors : warnings;
                    if (!seen.Any(e => e.Code == diagnostic.Code && e.Line == diagnostic.Line && e.Column == diagnostic.Column && e.Message == diagnostic.Message))
                    {
                        seen.Add(diagnostic);
                    }
                }
            }

            if (errors.Count > 0)
            {
                throw new TemplateException(errors);
            }

            return warnings;
        }

        /// <summary>A URL, header value or secret may only reference <c>{{ env.NAME }}</c>; the values are not needed to check that.</summary>
        private static void ValidateReferences(string text) =>
            TemplateEngine.RenderText(text, _ => "x", new List<string>());
    }
}
