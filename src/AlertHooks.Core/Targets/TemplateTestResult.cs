using System.Collections.Generic;

namespace AlertHooks
{
    /// <summary>What rendering a body for one event and validating it for its target found.</summary>
    public sealed class TemplateTestResult
    {
        internal TemplateTestResult(string? policyName, TargetKind target, AlertEventType eventType, IReadOnlyList<TemplateDiagnostic> errors,
            IReadOnlyList<TemplateDiagnostic> warnings, IReadOnlyList<string> unknownTokens, IReadOnlyList<string> unavailableTokens, string? renderedBody)
        {
            PolicyName = policyName;
            Target = target;
            EventType = eventType;
            Errors = errors;
            Warnings = warnings;
            UnknownTokens = unknownTokens;
            UnavailableTokens = unavailableTokens;
            RenderedBody = renderedBody;
        }

        /// <summary>True when nothing would stop the body from rendering or the target from taking it.</summary>
        public bool IsValid => Errors.Count == 0;

        /// <summary>The policy tested, or null for a body given on its own.</summary>
        public string? PolicyName { get; }

        public TargetKind Target { get; }

        public AlertEventType EventType { get; }

        public IReadOnlyList<TemplateDiagnostic> Errors { get; }

        public IReadOnlyList<TemplateDiagnostic> Warnings { get; }

        /// <summary>Names that are not tokens at all (typos); each is also an error.</summary>
        public IReadOnlyList<string> UnknownTokens { get; }

        /// <summary>Catalog tokens the event type does not provide; they render empty.</summary>
        public IReadOnlyList<string> UnavailableTokens { get; }

        /// <summary>The payload as it would be sent, with placeholders for <c>{{ env.… }}</c>; null when it could not be rendered.</summary>
        public string? RenderedBody { get; }

        public override string ToString() =>
            $"{(PolicyName == null ? string.Empty : PolicyName + " ")}{EventType} → {Target}: {(IsValid ? "valid" : Errors.Count + " error(s)")}";
    }
}
