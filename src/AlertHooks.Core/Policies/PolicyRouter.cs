using System;
using System.Collections.Generic;
using System.Linq;

namespace AlertHooks.Policies
{
    /// <summary>Which registered policies take an event: enabled, handling its type, and every -Match pattern matching.</summary>
    public static class PolicyRouter
    {
        public static IEnumerable<AlertPolicy> Route(AlertEvent alertEvent, IEnumerable<AlertPolicy> policies, Configuration? configuration = null) =>
            policies.Where(p => Takes(p, alertEvent, configuration));

        public static bool Takes(AlertPolicy policy, AlertEvent alertEvent, Configuration? configuration = null) =>
            policy.Enabled
            && policy.EventTypes.Contains(alertEvent.EventType)
            && policy.Match.All(m => Wildcard.IsMatch(TokenValue(alertEvent, policy, m.Key, configuration), m.Value));

        /// <summary>The value a token renders with for this event and policy (empty when the event lacks it).</summary>
        internal static string TokenValue(AlertEvent alertEvent, AlertPolicy policy, string token, Configuration? configuration)
        {
            switch (token)
            {
                case "alert_summary":
                    return alertEvent.Summary;
                case "alert_content":
                    return alertEvent.Content;
                case "alert_policy_name":
                    return policy.Name;
                case "alert_policy_id":
                    return policy.Id;
                case "notification_type":
                    return alertEvent.NotificationType;
                case "is_sample":
                    return alertEvent.IsSample ? "true" : "false";
                case "deployment_name":
                    return alertEvent.GetText(token) ?? configuration?.DeploymentName ?? Environment.GetEnvironmentVariable("ALERTHOOKS_DEPLOYMENT_NAME") ?? string.Empty;
                case "deployment_url":
                    return alertEvent.GetText(token) ?? configuration?.DeploymentUrl ?? Environment.GetEnvironmentVariable("ALERTHOOKS_DEPLOYMENT_URL") ?? string.Empty;
                default:
                    return alertEvent.GetText(token) ?? string.Empty;
            }
        }
    }
}
