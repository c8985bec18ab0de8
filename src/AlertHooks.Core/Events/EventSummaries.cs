using System.Collections.Generic;
using System.Text;

namespace AlertHooks
{
    /// <summary>Computes <c>alert_summary</c> and <c>alert_content</c> from an event, as the platform words them.</summary>
    internal static class EventSummaries
    {
        public static string Summary(AlertEvent e)
        {
            string T(string token, string fallback) => e.GetText(token) is { Length: > 0 } v ? v : fallback;

            switch (e.EventType)
            {
                case AlertEventType.JobSuccess:
                    return $"Job {T("job_name", "(unnamed)")} succeeded";
                case AlertEventType.JobFailure:
                    return $"Job {T("job_name", "(unnamed)")} failed";
                case AlertEventType.JobLongRunning:
                    return e.GetText("elapsed_time") is { Length: > 0 } elapsed
                        ? $"Job {T("job_name", "(unnamed)")} has been running for {elapsed}"
                        : $"Job {T("job_name", "(unnamed)")} is running longer than expected";
                case AlertEventType.AssetMaterializationSuccess:
                    return $"Asset {AssetName(e)} materialized";
                case AlertEventType.AssetMaterializationFailure:
                    return $"Asset {AssetName(e)} failed to materialize";
                case AlertEventType.AssetCheckFailure:
                    return $"Asset check failed on {AssetName(e)}";
                case AlertEventType.AssetHealth:
                    return $"Asset {AssetName(e)} is {T("health_status", "UNKNOWN")}";
                case AlertEventType.AssetFreshness:
                    return $"Asset {AssetName(e)} freshness is {T("freshness_status", "UNKNOWN")}";
                case AlertEventType.TableSchemaChange:
                    return $"Table schema of {AssetName(e)} changed";
                case AlertEventType.CodeLocationLoadFailure:
                    return $"Code location {T("location_name", "(unnamed)")} failed to load";
                case AlertEventType.ScheduleTickFailure:
                    return $"Schedule {T("instigator_name", "(unnamed)")} tick failed";
                case AlertEventType.SensorTickFailure:
                    return $"Sensor {T("instigator_name", "(unnamed)")} tick failed";
                case AlertEventType.AgentDowntime:
                    return "Agent is unavailable";
                case AlertEventType.InsightsThreshold:
                    return $"Insights metric {T("metric_name", "(unnamed)")} is {T("computed_value", "?")} (threshold {T("threshold", "?")})";
                default:
                    return e.EventType.ToString();
            }
        }

        public static string Content(AlertEvent e)
        {
            var lines = new List<string>();
            void Add(string label, string token)
            {
                if (e.GetText(token) is { Length: > 0 } value)
                {
                    lines.Add(label.Length == 0 ? value : label + ": " + value);
                }
            }

            Add(string.Empty, "failure_message");
            Add("Status", "run_status");
            Add("Health", "health_status");
            Add("Materialization", "materialization_status");
            Add("Checks", "checks_status");
            Add("Freshness", "freshness_status");
            Add("Partition", "partition_name");
            Add("Started", "start_time");
            Add("Ended", "end_time");
            Add("Elapsed", "elapsed_time");
            Add("Launched by", "user_name");
            Add("Run", "run_link");
            Add("Code location", "location_link");
            Add("Agents", "agent_url");
            Add("Insights", "insights_url");
            if (lines.Count == 0)
            {
                return Summary(e);
            }

            var builder = new StringBuilder();
            for (var i = 0; i < lines.Count; i++)
            {
                if (i > 0)
                {
                    builder.Append('\n');
                }

                builder.Append(lines[i]);
            }

            return builder.ToString();
        }

        private static string AssetName(AlertEvent e) =>
            e.GetText("asset_name") is { Length: > 0 } name ? name
            : e.GetText("asset_key") is { Length: > 0 } key ? key
            : "(unnamed)";
    }
}
