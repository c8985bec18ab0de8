using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using AlertHooks.Completers;
using AlertHooks.Delivery;
using AlertHooks.Policies;
using AlertHooks.Templates;

namespace AlertHooks.Commands
{
    /// <summary>Renders and delivers alerts to webhooks.</summary>
    [Cmdlet(VerbsCommunications.Send, "AlertWebhook", SupportsShouldProcess = true, DefaultParameterSetName = RouteSet)]
    [OutputType(typeof(DeliveryResult))]
    public sealed class SendAlertWebhookCommand : PSCmdlet
    {
        private const string PolicySet = "Policy";
        private const string AdHocSet = "AdHoc";
        private const string RouteSet = "Route";
        private const string SampleSet = "Sample";

        private readonly CancellationTokenSource _cancellation = new CancellationTokenSource();
        private RenderSettings _settings = new RenderSettings();
        private Configuration? _configuration;
        private IReadOnlyList<AlertPolicy>? _registered;

        /// <summary>Policy objects, or names of registered policies.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PolicySet)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = SampleSet)]
        [ValidateNotNullOrEmpty]
        [PolicyTransformation]
        [ArgumentCompleter(typeof(PolicyNameCompleter))]
        public AlertPolicy[] Policy { get; set; } = Array.Empty<AlertPolicy>();

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PolicySet)]
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = RouteSet)]
        [Parameter(ValueFromPipeline = true, ParameterSetName = AdHocSet)]
        public AlertEvent? Event { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = AdHocSet)]
        [ValidateNotNullOrEmpty]
        public string Url { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ParameterSetName = AdHocSet)]
        [ValidateNotNullOrEmpty]
        public string Body { get; set; } = string.Empty;

        [Parameter(ParameterSetName = AdHocSet)]
        public Hashtable? Header { get; set; }

        /// <summary>Send a sample event (is_sample true) of each of the policy's event types, or of -EventType.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SampleSet)]
        public SwitchParameter Sample { get; set; }

        [Parameter(ParameterSetName = SampleSet)]
        [ValidateNotNullOrEmpty]
        public AlertEventType[]? EventType { get; set; }

        [Parameter]
        [ValidateRange(1, 600)]
        public int TimeoutSec { get; set; } = 10;

        protected override void BeginProcessing()
        {
            try
            {
                _configuration = Configuration.Load();
                _settings = _configuration.ToRenderSettings();
            }
            catch (InvalidDataException exception)
            {
                // An alert matters more than a broken settings file: warn and send with the defaults.
                WriteWarning(exception.Message);
            }
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == RouteSet)
            {
                Route(Event!);
                return;
            }

            if (ParameterSetName == SampleSet)
            {
                SendSamples();
                return;
            }

            if (ParameterSetName == AdHocSet)
            {
                var alertEvent = Event;
                var policy = new AlertPolicy("(ad hoc)", new[] { alertEvent?.EventType ?? AlertEventType.JobFailure }, Url, Body, NewAlertPolicyCommand.ToHeaders(Header));
                Deliver(policy, alertEvent ?? SampleEvents.Create(AlertEventType.JobFailure));
                return;
            }

            foreach (var policy in Policy)
            {
                Deliver(policy, Event!);
            }
        }

        protected override void StopProcessing() => _cancellation.Cancel();

        /// <summary>An event without -Policy goes to every enabled registered policy that takes it, and is never dropped silently.</summary>
        private void Route(AlertEvent alertEvent)
        {
            _registered ??= PolicyStoreAccess.Load(this, new PolicyStore((_configuration ?? new Configuration()).PolicyStorePath));
            var policies = PolicyRouter.Route(alertEvent, _registered, _configuration).ToList();
            if (policies.Count == 0)
            {
                WriteError(Errors.Create("AlertNotRouted", ErrorCategory.ObjectNotFound,
                    $"No enabled registered policy takes the {alertEvent.EventType} event '{alertEvent.Summary}' (checked {_registered.Count} policies: event types and -Match patterns).", alertEvent));
                return;
            }

            foreach (var policy in policies)
            {
                Deliver(policy, alertEvent);
            }
        }

        private void SendSamples()
        {
            foreach (var policy in Policy)
            {
                foreach (var eventType in EventType ?? policy.EventTypes.ToArray())
                {
                    if (!policy.EventTypes.Contains(eventType))
                    {
                        WriteError(Errors.Create("EventTypeNotHandled", ErrorCategory.InvalidArgument,
                            $"Policy '{policy.Name}' does not handle {eventType} events (it handles {string.Join(", ", policy.EventTypes)}).", policy));
                        continue;
                    }

                    // A test notification carries the deployment it is sent from, as the platform's does.
                    var deployment = new Dictionary<string, object?>();
                    if (!string.IsNullOrEmpty(_settings.DeploymentName))
                    {
                        deployment["deployment_name"] = _settings.DeploymentName;
                    }

                    if (!string.IsNullOrEmpty(_settings.DeploymentUrl))
                    {
                        deployment["deployment_url"] = _settings.DeploymentUrl;
                    }

                    Deliver(policy, SampleEvents.Create(eventType, deployment));
                }
            }
        }

        protected override void EndProcessing() => _cancellation.Dispose();

        private void Deliver(AlertPolicy policy, AlertEvent alertEvent)
        {
            DeliveryRequest request;
            try
            {
                request = DeliveryPreparer.Prepare(policy, alertEvent, _settings);
            }
            catch (Exception exception) when (exception is TemplateException || exception is DeliveryValidationException)
            {
                WriteError(Errors.From(exception, policy.Name));
                return;
            }

            var description = $"Send {alertEvent.EventType} alert to '{policy.Name}' at {request.Endpoint} with body:{Environment.NewLine}{request.Scrub(request.Body)}";
            if (!ShouldProcess(description, description, "Send-AlertWebhook"))
            {
                return;
            }

            WriteVerbose($"POST {request.Endpoint} for policy '{policy.Name}' ({request.Body.Length} characters).");
            var client = new WebhookClient { AttemptTimeout = TimeSpan.FromSeconds(TimeoutSec) };
            DeliveryResult result;
            try
            {
                result = client.SendAsync(request, _cancellation.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                return;
            }

            WriteObject(result);
            if (!result.Succeeded)
            {
                WriteError(DeliveryFailed(result));
            }
        }

        internal static ErrorRecord DeliveryFailed(DeliveryResult result)
        {
            var category = result.StatusCode switch
            {
                null => result.Error != null && result.Error.StartsWith("No response", StringComparison.Ordinal) ? ErrorCategory.OperationTimeout : ErrorCategory.ConnectionError,
                401 => ErrorCategory.PermissionDenied,
                403 => ErrorCategory.PermissionDenied,
                400 => ErrorCategory.InvalidData,
                429 => ErrorCategory.LimitsExceeded,
                _ => ErrorCategory.InvalidResult,
            };
            var message = $"Alert for policy '{result.PolicyName}' was not delivered to {result.Endpoint}: {result.Error} (attempts: {result.Attempts}, {result.Duration.TotalSeconds:0.00} s).";
            return new ErrorRecord(new InvalidOperationException(message), "AlertDeliveryFailed", category, result);
        }
    }
}
