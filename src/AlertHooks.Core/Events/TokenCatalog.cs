using System;
using System.Collections.Generic;
using System.Linq;

namespace AlertHooks
{
    /// <summary>
    /// The platform's token reference as data: the one source of truth for rendering, validation,
    /// completion, help and Get-AlertToken.
    /// </summary>
    public static class TokenCatalog
    {
        private static readonly AlertEventType[] JobTypes =
            { AlertEventType.JobSuccess, AlertEventType.JobFailure, AlertEventType.JobLongRunning };

        private static readonly AlertEventType[] MaterializationTypes =
            { AlertEventType.AssetMaterializationSuccess, AlertEventType.AssetMaterializationFailure, AlertEventType.AssetCheckFailure };

        private static readonly AlertEventType[] AssetKeyTypes = MaterializationTypes
            .Concat(new[] { AlertEventType.AssetHealth, AlertEventType.AssetFreshness, AlertEventType.TableSchemaChange })
            .ToArray();

        private static readonly AlertEventType[] AllTypes = (AlertEventType[])Enum.GetValues(typeof(AlertEventType));

        /// <summary>Every token, in the order of the platform's reference page.</summary>
        public static IReadOnlyList<TokenInfo> All { get; } = new[]
        {
            Global("alert_summary", "One-line summary of the alert.", "Job daily_etl failed"),
            Global("alert_content", "Full alert details (errors, links).", "Error: Step failed..."),
            Global("deployment_name", "Name of the deployment.", "prod"),
            Global("deployment_url", "URL to the deployment.", "https://dagster.cloud/..."),
            Global("alert_policy_name", "Name of the alert policy that triggered.", "Critical Alerts"),
            Global("alert_policy_id", "Unique ID of the alert policy.", "abc123-def456"),
            Global("notification_type", "Type of notification event (e.g. JOB, TICK).", "JOB"),
            Global("is_sample", "true if this is a test/sample notification.", "false"),

            Scoped("job_name", "Name of the job.", "daily_etl", "Job & Run", JobTypes),
            Scoped("run_id", "Unique ID of the run.", "abc123-def456", "Job & Run", JobTypes.Concat(MaterializationTypes)),
            Scoped("run_link", "URL to view the run.", ".../runs/abc123", "Job & Run", JobTypes.Concat(MaterializationTypes)),
            Scoped("run_status", "Status (SUCCESS or FAILURE).", "FAILURE", "Job & Run", JobTypes),
            Scoped("failure_message", "Error message if the run, materialization or code location load failed.", "Step 'load_data' failed...", "Job & Run",
                JobTypes.Concat(MaterializationTypes).Concat(new[] { AlertEventType.CodeLocationLoadFailure })),
            Scoped("user_name", "Name of the user who launched the run.", "John Doe", "Job & Run", JobTypes.Concat(MaterializationTypes)),
            Scoped("user_email", "Email of the user who launched the run.", "john@example.com", "Job & Run", JobTypes.Concat(MaterializationTypes)),
            Scoped("partition_name", "Name of the partition (if applicable).", "2026-01-08", "Job & Run", JobTypes),
            Scoped("schedule_name", "Name of the schedule that triggered the run.", "daily_schedule", "Job & Run", JobTypes),
            Scoped("sensor_name", "Name of the sensor that triggered the run.", "new_files_sensor", "Job & Run", JobTypes),
            Scoped("elapsed_time", "Human-readable duration of the run.", "5 minutes", "Job & Run", JobTypes),
            Scoped("start_time", "Start time of the run.", "Jan 8, 2026 10:00 AM", "Job & Run", JobTypes),
            Scoped("end_time", "End time of the run.", "Jan 8, 2026 10:05 AM", "Job & Run", JobTypes),

            Scoped("asset_key", "Full asset key.", "analytics/orders", "Asset", AssetKeyTypes),
            Scoped("asset_name", "Name of the asset.", "orders", "Asset", AssetKeyTypes),
            Scoped("health_status", "Overall status (OK, DEGRADED).", "DEGRADED", "Asset", new[] { AlertEventType.AssetHealth }),
            Scoped("materialization_status", "Status of materialization.", "FAILED", "Asset", new[] { AlertEventType.AssetHealth }),
            Scoped("checks_status", "Status of asset checks.", "WARN", "Asset", new[] { AlertEventType.AssetHealth }),
            Scoped("freshness_status", "State (PASS, FAIL, UNKNOWN, OK).", "FAIL", "Asset",
                new[] { AlertEventType.AssetHealth, AlertEventType.AssetFreshness }),

            Scoped("location_name", "Name of the code location.", "analytics_pipelines", "Code Location", new[] { AlertEventType.CodeLocationLoadFailure }),
            Scoped("location_link", "URL to the code location.", ".../locations/analytics_pipelines", "Code Location", new[] { AlertEventType.CodeLocationLoadFailure }),

            Scoped("instigator_name", "Name of the schedule or sensor.", "new_files_sensor", "Tick",
                new[] { AlertEventType.ScheduleTickFailure, AlertEventType.SensorTickFailure }),
            Scoped("instigator_type", "Type (schedule or sensor).", "sensor", "Tick",
                new[] { AlertEventType.ScheduleTickFailure, AlertEventType.SensorTickFailure }),

            Scoped("agent_url", "URL to the agents page.", ".../agents", "Agent", new[] { AlertEventType.AgentDowntime }),

            Scoped("metric_name", "Internal name of the metric.", "dagster_credits", "Insights", new[] { AlertEventType.InsightsThreshold }),
            Scoped("threshold", "Configured threshold value.", "1000", "Insights", new[] { AlertEventType.InsightsThreshold }),
            Scoped("computed_value", "Actual computed value.", "1250", "Insights", new[] { AlertEventType.InsightsThreshold }),
            Scoped("insights_url", "URL to the insights page.", ".../insights", "Insights", new[] { AlertEventType.InsightsThreshold }),
        };

        private static readonly Dictionary<string, TokenInfo> ByName =
            All.ToDictionary(t => t.Name, StringComparer.Ordinal);

        /// <summary>Tokens whose values are moments in time; they render like <c>Jan 8, 2026 10:00 AM</c>.</summary>
        public static IReadOnlyCollection<string> TimeTokens { get; } = new[] { "start_time", "end_time" };

        public static bool TryGet(string name, out TokenInfo token) => ByName.TryGetValue(name, out token!);

        public static bool IsKnown(string name) => ByName.ContainsKey(name);

        public static bool IsAvailable(string name, AlertEventType eventType) =>
            ByName.TryGetValue(name, out var token) && (token.IsGlobal || token.EventTypes.Contains(eventType));

        public static IEnumerable<TokenInfo> For(AlertEventType eventType) =>
            All.Where(t => t.IsGlobal || t.EventTypes.Contains(eventType));

        /// <summary>The platform's <c>notification_type</c> for an event type.</summary>
        public static string NotificationType(AlertEventType eventType)
        {
            switch (eventType)
            {
                case AlertEventType.JobSuccess:
                case AlertEventType.JobFailure:
                case AlertEventType.JobLongRunning:
                    return "JOB";
                case AlertEventType.AssetMaterializationSuccess:
                case AlertEventType.AssetMaterializationFailure:
                case AlertEventType.AssetCheckFailure:
                    return "ASSET_MATERIALIZATION";
                case AlertEventType.AssetHealth:
                    return "ASSET_HEALTH";
                case AlertEventType.AssetFreshness:
                    return "ASSET_FRESHNESS";
                case AlertEventType.TableSchemaChange:
                    return "TABLE_SCHEMA";
                case AlertEventType.CodeLocationLoadFailure:
                    return "CODE_LOCATION";
                case AlertEventType.ScheduleTickFailure:
                case AlertEventType.SensorTickFailure:
                    return "TICK";
                case AlertEventType.AgentDowntime:
                    return "AGENT";
                case AlertEventType.InsightsThreshold:
                    return "INSIGHTS";
                default:
                    throw new ArgumentOutOfRangeException(nameof(eventType), eventType, null);
            }
        }

        private static TokenInfo Global(string name, string description, string example) =>
            new TokenInfo(name, description, example, true, AllTypes, "Global");

        private static TokenInfo Scoped(string name, string description, string example, string group, IEnumerable<AlertEventType> types) =>
            new TokenInfo(name, description, example, false, types.Distinct().OrderBy(t => t).ToArray(), group);
    }
}
