using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace AlertHooks.Commands
{
    /// <summary>Builds an alert event; every token is a parameter aliased to the token's own name.</summary>
    [Cmdlet(VerbsCommon.New, "AlertEvent")]
    [OutputType(typeof(AlertEvent))]
    public sealed class NewAlertEventCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Type", "event_type")]
        public AlertEventType EventType { get; set; }

        /// <summary>Token values by token name, for anything not given as a parameter.</summary>
        [Parameter]
        [Alias("Tokens")]
        public Hashtable? Token { get; set; }

        /// <summary>Fill realistic values for the event type and mark the event as a sample.</summary>
        [Parameter]
        public SwitchParameter Sample { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true), Alias("alert_summary"), Token("alert_summary")] public string? AlertSummary { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("alert_content"), Token("alert_content")] public string? AlertContent { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("deployment_name"), Token("deployment_name")] public string? DeploymentName { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("deployment_url"), Token("deployment_url")] public string? DeploymentUrl { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("job_name"), Token("job_name")] public string? JobName { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("run_id"), Token("run_id")] public string? RunId { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("run_link"), Token("run_link")] public string? RunLink { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("run_status"), Token("run_status")] public string? RunStatus { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("failure_message"), Token("failure_message")] public string? FailureMessage { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("user_name"), Token("user_name")] public string? UserName { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("user_email"), Token("user_email")] public string? UserEmail { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("partition_name"), Token("partition_name")] public string? PartitionName { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("schedule_name"), Token("schedule_name")] public string? ScheduleName { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("sensor_name"), Token("sensor_name")] public string? SensorName { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("elapsed_time"), Token("elapsed_time")] public string? ElapsedTime { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("start_time"), Token("start_time")] public DateTimeOffset? StartTime { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("end_time"), Token("end_time")] public DateTimeOffset? EndTime { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("asset_key"), Token("asset_key")] public string? AssetKey { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("asset_name"), Token("asset_name")] public string? AssetName { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("health_status"), Token("health_status")] public string? HealthStatus { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("materialization_status"), Token("materialization_status")] public string? MaterializationStatus { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("checks_status"), Token("checks_status")] public string? ChecksStatus { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("freshness_status"), Token("freshness_status")] public string? FreshnessStatus { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("location_name"), Token("location_name")] public string? LocationName { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("location_link"), Token("location_link")] public string? LocationLink { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("instigator_name"), Token("instigator_name")] public string? InstigatorName { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("instigator_type"), Token("instigator_type")] public string? InstigatorType { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("agent_url"), Token("agent_url")] public string? AgentUrl { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("metric_name"), Token("metric_name")] public string? MetricName { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Token("threshold")] public string? Threshold { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("computed_value"), Token("computed_value")] public string? ComputedValue { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("insights_url"), Token("insights_url")] public string? InsightsUrl { get; set; }

        private static readonly (PropertyInfo Property, string Token)[] TokenProperties = typeof(NewAlertEventCommand)
            .GetProperties()
            .Select(p => (Property: p, Attribute: p.GetCustomAttribute<TokenAttribute>()))
            .Where(p => p.Attribute != null)
            .Select(p => (p.Property, p.Attribute!.Name))
            .ToArray();

        protected override void ProcessRecord()
        {
            var tokens = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (Token != null)
            {
                foreach (DictionaryEntry entry in Token)
                {
                    tokens[Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty] = entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value;
                }
            }

            foreach (var (property, token) in TokenProperties)
            {
                if (!MyInvocation.BoundParameters.ContainsKey(property.Name))
                {
                    continue;
                }

                var value = property.GetValue(this);
                if (value == null || value is string text && text.Length == 0)
                {
                    continue;
                }

                if (!TokenCatalog.IsAvailable(token, EventType))
                {
                    WriteWarning($"Token '{token}' is not available for {EventType} events; its value was ignored.");
                    continue;
                }

                tokens[token] = value;
            }

            try
            {
                WriteObject(Sample ? SampleEvents.Create(EventType, tokens) : new AlertEvent(EventType, tokens));
            }
            catch (ArgumentException exception)
            {
                WriteError(Errors.From(exception, EventType));
            }
        }
    }

    /// <summary>Marks a parameter as the value of a template token.</summary>
    [AttributeUsage(AttributeTargets.Property)]
    internal sealed class TokenAttribute : Attribute
    {
        public TokenAttribute(string name) => Name = name;

        public string Name { get; }
    }
}
