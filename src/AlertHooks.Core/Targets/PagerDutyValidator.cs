using System.Text.Json;

namespace AlertHooks.Targets
{
    /// <summary>PagerDuty Events API v2: required fields, their values and lengths.</summary>
    public sealed class PagerDutyValidator : PayloadValidator
    {
        public const int RoutingKeyLength = 32;
        public const int MaxDedupKey = 255;
        public const int MaxSummary = 1024;

        internal static readonly PagerDutyValidator Instance = new PagerDutyValidator();

        public override TargetKind Target => TargetKind.PagerDuty;

        protected override void Check(string payload, JsonElement root, Findings findings)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                findings.Add("NotAnObject", "$", "A PagerDuty event is a JSON object.");
                return;
            }

            // The key itself is a secret: messages give its length, never its value.
            if (!TryGetString(root, "routing_key", out var routingKey) || routingKey.Length == 0)
            {
                findings.Add("MissingRoutingKey", "$.routing_key", "The event needs a routing_key; write \"{{ env.PAGERDUTY_ROUTING_KEY }}\" to keep it out of the policy.");
            }
            else if (routingKey.Length != RoutingKeyLength)
            {
                findings.Add("InvalidRoutingKey", "$.routing_key", $"The routing_key is {routingKey.Length} characters; an integration key has {RoutingKeyLength}.");
            }

            TryGetString(root, "event_action", out var action);
            if (action != "trigger" && action != "acknowledge" && action != "resolve")
            {
                findings.Add("InvalidEventAction", "$.event_action",
                    action.Length == 0 ? "The event needs an event_action: trigger, acknowledge or resolve." : $"event_action {Show(action)} is not trigger, acknowledge or resolve.");
            }

            var hasDedupKey = TryGetString(root, "dedup_key", out var dedupKey) && dedupKey.Length > 0;
            if (!hasDedupKey && (action == "acknowledge" || action == "resolve"))
            {
                findings.Add("MissingDedupKey", "$.dedup_key", $"A {action} event needs the dedup_key of the incident it {action}s.");
            }

            findings.MaxLength("DedupKeyTooLong", "$.dedup_key", dedupKey, MaxDedupKey, "dedup_key");

            if (action != "trigger")
            {
                return;
            }

            if (!TryGet(root, "payload", JsonValueKind.Object, out var body))
            {
                findings.Add("MissingPayload", "$.payload", "A trigger event needs a payload with summary, source and severity.");
                return;
            }

            if (!TryGetString(body, "summary", out var summary) || summary.Trim().Length == 0)
            {
                findings.Add("MissingSummary", "$.payload.summary", "payload.summary is required.");
            }

            findings.MaxLength("SummaryTooLong", "$.payload.summary", summary, MaxSummary, "payload.summary");

            if (!TryGetString(body, "source", out var source) || source.Trim().Length == 0)
            {
                findings.Add("MissingSource", "$.payload.source", "payload.source is required (the affected system, e.g. the deployment name).");
            }

            TryGetString(body, "severity", out var severity);
            if (severity != "critical" && severity != "error" && severity != "warning" && severity != "info")
            {
                findings.Add("InvalidSeverity", "$.payload.severity",
                    severity.Length == 0 ? "payload.severity is required: critical, error, warning or info." : $"payload.severity {Show(severity)} is not critical, error, warning or info.");
            }
        }
    }
}
