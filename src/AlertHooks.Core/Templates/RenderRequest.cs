using System;
using System.Collections.Generic;

namespace AlertHooks.Templates
{
    /// <summary>Everything a body template may read: the event, the policy's global tokens and the environment.</summary>
    public sealed class RenderRequest
    {
        public RenderRequest(AlertEvent alertEvent, string policyName, string policyId)
        {
            Event = alertEvent;
            PolicyName = policyName;
            PolicyId = policyId;
        }

        public AlertEvent Event { get; }
        public string PolicyName { get; }
        public string PolicyId { get; }
        public string? DeploymentName { get; set; }
        public string? DeploymentUrl { get; set; }

        /// <summary>Reads <c>{{ env.NAME }}</c>; the process environment unless a caller substitutes one.</summary>
        public Func<string, string?> Environment { get; set; } = System.Environment.GetEnvironmentVariable;
    }

    /// <summary>A rendered body, with the warnings found on the way and the values that must never be shown.</summary>
    public sealed class RenderResult
    {
        internal RenderResult(string body, IReadOnlyList<TemplateDiagnostic> warnings, IReadOnlyCollection<string> secrets)
        {
            Body = body;
            Warnings = warnings;
            Secrets = secrets;
        }

        public string Body { get; }
        public IReadOnlyList<TemplateDiagnostic> Warnings { get; }

        /// <summary>Values read from <c>{{ env.… }}</c>: redacted wherever a person can see them.</summary>
        public IReadOnlyCollection<string> Secrets { get; }
    }
}
