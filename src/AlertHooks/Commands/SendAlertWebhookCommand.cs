using System;
using System.Collections;
using System.Management.Automation;
using System.Threading;
using AlertHooks.Delivery;
using AlertHooks.Templates;

namespace AlertHooks.Commands
{
    /// <summary>Renders and delivers alerts to webhooks.</summary>
    [Cmdlet(VerbsCommunications.Send, "AlertWebhook", SupportsShouldProcess = true, DefaultParameterSetName = PolicySet)]
    [OutputType(typeof(DeliveryResult))]
    public sealed class SendAlertWebhookCommand : PSCmdlet
    {
        private const string PolicySet = "Policy";
        private const string AdHocSet = "AdHoc";
        private const string DeliverySet = "Delivery";

        private readonly CancellationTokenSource _cancellation = new CancellationTokenSource();
        private IDeliveryJournal _journal = NullDeliveryJournal.Instance;

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PolicySet)]
        [ValidateNotNullOrEmpty]
        public AlertPolicy[] Policy { get; set; } = Array.Empty<AlertPolicy>();

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PolicySet)]
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

        /// <summary>Journal records to send again, with their own delivery id, updating each record in place.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = DeliverySet)]
        [ValidateNotNullOrEmpty]
        public AlertDelivery[] Delivery { get; set; } = Array.Empty<AlertDelivery>();

        [Parameter]
        [ValidateRange(1, 600)]
        public int TimeoutSec { get; set; } = 10;

        protected override void BeginProcessing() => _journal = JournalAccess.OpenForSending(this);

        protected override void ProcessRecord()
        {
            if (ParameterSetName == DeliverySet)
            {
                foreach (var delivery in Delivery)
                {
                    Replay(delivery);
                }

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

        protected override void EndProcessing() => _cancellation.Dispose();

        private void Deliver(AlertPolicy policy, AlertEvent alertEvent)
        {
            DeliveryRequest request;
            try
            {
                request = DeliveryPreparer.Prepare(policy, alertEvent, new RenderSettings());
            }
            catch (Exception exception) when (exception is TemplateException || exception is DeliveryValidationException)
            {
                WriteError(Errors.From(exception, policy.Name));
                return;
            }

            Send(request, $"Send {alertEvent.EventType} alert to '{policy.Name}' at {request.Endpoint} with body:{Environment.NewLine}{request.Scrub(request.Body)}");
        }

        private void Replay(AlertDelivery delivery)
        {
            if (FileDeliveryJournal.IsInFlightElsewhere(delivery))
            {
                WriteWarning($"Delivery {delivery.Id} was not replayed: it is Pending in process {delivery.ProcessId}, which is still running and may be sending it.");
                return;
            }

            DeliveryRequest request;
            try
            {
                request = FileDeliveryJournal.ToRequest(delivery);
            }
            catch (DeliveryValidationException exception)
            {
                WriteError(Errors.From(exception, delivery.Id));
                return;
            }

            Send(request, $"Replay {delivery.Status} delivery {delivery.Id} of '{delivery.PolicyName}' to {request.Endpoint} with body:{Environment.NewLine}{request.Scrub(request.Body)}");
        }

        private void Send(DeliveryRequest request, string description)
        {
            if (!ShouldProcess(description, description, "Send-AlertWebhook"))
            {
                return;
            }

            WriteVerbose($"POST {request.Endpoint} for policy '{request.PolicyName}' ({request.Body.Length} characters), delivery {request.DeliveryId}.");
            JournalAccess.Record(this, () => _journal.Begin(request));
            var client = new WebhookClient { AttemptTimeout = TimeSpan.FromSeconds(TimeoutSec) };
            DeliveryResult result;
            try
            {
                result = client.SendAsync(request, _cancellation.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                // Interrupted: the record stays Pending, to be replayed.
                return;
            }

            // Before WriteError: under $ErrorActionPreference = 'Stop' a runbook throws there, and the alert must already be Failed in the journal.
            JournalAccess.Record(this, () => _journal.Complete(request, result));
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
