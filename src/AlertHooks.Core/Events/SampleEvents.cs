using System;
using System.Collections.Generic;
using System.Linq;

namespace AlertHooks
{
    /// <summary>Realistic events of every type, for test notifications and template checks.</summary>
    public static class SampleEvents
    {
        private static readonly DateTimeOffset SampleStart = new DateTimeOffset(2026, 1, 8, 10, 0, 0, TimeSpan.Zero);

        private static readonly Dictionary<string, object> Values = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["deployment_name"] = "prod",
            ["deployment_url"] = "https://example.dagster.cloud/prod",
            ["job_name"] = "daily_etl",
            ["run_id"] = "9f3b2c1a-4d5e-4f60-8a7b-1c2d3e4f5a6b",
            ["run_link"] = "https://example.dagster.cloud/prod/runs/9f3b2c1a-4d5e-4f60-8a7b-1c2d3e4f5a6b",
            ["user_name"] = "John Doe",
            ["user_email"] = "john@example.com",
            ["partition_name"] = "2026-01-08",
            ["schedule_name"] = "daily_schedule",
            ["sensor_name"] = "new_files_sensor",
            ["elapsed_time"] = "5 minutes",
            ["start_time"] = SampleStart,
            ["end_time"] = SampleStart.AddMinutes(5),
            ["asset_key"] = "analytics/orders",
            ["asset_name"] = "orders",
            ["health_status"] = "DEGRADED",
            ["materialization_status"] = "FAILED",
            ["checks_status"] = "WARN",
            ["freshness_status"] = "FAIL",
            ["location_name"] = "analytics_pipelines",
            ["location_link"] = "https://example.dagster.cloud/prod/locations/analytics_pipelines",
            ["instigator_name"] = "new_files_sensor",
            ["instigator_type"] = "sensor",
            ["agent_url"] = "https://example.dagster.cloud/prod/agents",
            ["metric_name"] = "dagster_credits",
            ["threshold"] = "1000",
            ["computed_value"] = "1250",
            ["insights_url"] = "https://example.dagster.cloud/prod/insights",
        };

        /// <summary>A sample event with <c>is_sample</c> true and every token of the type filled.</summary>
        public static AlertEvent Create(AlertEventType eventType, IEnumerable<KeyValuePair<string, object?>>? overrides = null)
        {
            var tokens = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var token in TokenCatalog.For(eventType))
            {
                if (Values.TryGetValue(token.Name, out var value))
                {
                    tokens[token.Name] = value;
                }
            }

            tokens["run_status"] = eventType == AlertEventType.JobSuccess ? "SUCCESS" : eventType == AlertEventType.JobLongRunning ? "STARTED" : "FAILURE";
            tokens["failure_message"] = FailureMessage(eventType);
            tokens["instigator_name"] = eventType == AlertEventType.ScheduleTickFailure ? "daily_schedule" : "new_files_sensor";
            tokens["instigator_type"] = eventType == AlertEventType.ScheduleTickFailure ? "schedule" : "sensor";
            if (overrides != null)
            {
                foreach (var pair in overrides)
                {
                    tokens[pair.Key] = pair.Value;
                }
            }

            var available = tokens.Where(t => TokenCatalog.IsAvailable(t.Key, eventType));
            return new AlertEvent(eventType, available, isSample: true, occurredAt: SampleStart.AddMinutes(5));
        }

        private static string? FailureMessage(AlertEventType eventType)
        {
            switch (eventType)
            {
                case AlertEventType.JobFailure:
                    return "Step 'load_data' failed: ConnectionError: could not reach warehouse";
                case AlertEventType.AssetMaterializationFailure:
                    return "Materialization of orders failed: upstream table is empty";
                case AlertEventType.AssetCheckFailure:
                    return "Check 'orders_not_null' failed: 42 rows with a null order_id";
                case AlertEventType.CodeLocationLoadFailure:
                    return "ModuleNotFoundError: No module named 'analytics_pipelines.defs'";
                default:
                    return null;
            }
        }
    }
}
