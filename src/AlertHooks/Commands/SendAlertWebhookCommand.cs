using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AlertHooks.Completers;
using AlertHooks.Delivery;
using AlertHooks.Policies;
using AlertHooks.Templates;

namespace AlertHooks.Commands
{
    /// <summary>
    /// Renders and delivers alerts to webhooks. Deliveries are queued as input arrives and run concurrently
    /// (at most <see cref="ThrottleLimit"/> in flight) through the endpoint pipelines; every result, error,
    /// verbose line and progress record is written on the pipeline thread.
    /// </summary>
    [Cmdlet(VerbsCommunications.Send, "AlertWebhook", SupportsShouldProcess = true, DefaultParameterSetName = RouteSet)]
    [OutputType(typeof(DeliveryResult))]
    public sealed class SendAlertWebhookCommand : PSCmdlet
    {
        private const string PolicySet = "Policy";
        private const string AdHocSet = "AdHoc";
        private const string RouteSet = "Route";
        private const string SampleSet = "Sample";
        private const string DeliverySet = "Delivery";
        private const int ProgressActivityId = 1;
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

        private readonly CancellationTokenSource _cancellation = new CancellationTokenSource();

        // Finished deliveries and diagnostics wait here until the pipeline thread writes them.
        private readonly CompletionQueue _completed = new CompletionQueue();
        private readonly ConcurrentQueue<Note> _notes = new ConcurrentQueue<Note>();
        private readonly Stopwatch _progressClock = new Stopwatch();

        private DeliveryEngine? _engine;
        private RenderSettings _settings = new RenderSettings();
        private Configuration? _configuration;
        private IReadOnlyList<AlertPolicy>? _registered;
        private int _inFlight;
        private int _succeeded;
        private int _failed;
        private bool _progressShown;
        private bool _verbose;

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

        /// <summary>Send a sample event (is_sample true) of each of the policy's event types, or of -EventType.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SampleSet)]
        public SwitchParameter Sample { get; set; }

        [Parameter(ParameterSetName = SampleSet)]
        [ValidateNotNullOrEmpty]
        public AlertEventType[]? EventType { get; set; }

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

        /// <summary>Treat the URL as this target (pacing, error shapes) instead of detecting it from the host.</summary>
        [Parameter(ParameterSetName = AdHocSet)]
        public TargetKind? Target { get; set; }

        /// <summary>Time-out of each attempt, in seconds.</summary>
        [Parameter]
        [ValidateRange(1, 600)]
        public int TimeoutSec { get; set; } = 10;

        /// <summary>Attempts per delivery, the first one included.</summary>
        [Parameter]
        [ValidateRange(1, 20)]
        public int MaxAttempts { get; set; } = 4;

        /// <summary>Deliveries queued or in flight at once, across all endpoints; each endpoint still takes one at a time, in order.</summary>
        [Parameter]
        [ValidateRange(1, 1024)]
        public int ThrottleLimit { get; set; } = 64;

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

            try
            {
                _engine = new DeliveryEngine(CreateOptions(), JournalAccess.OpenForSending(this), EndpointPipelines.Session);
            }
            catch (ArgumentException exception)
            {
                ThrowTerminatingError(new ErrorRecord(exception, "InvalidDeliveryConfiguration", ErrorCategory.InvalidArgument, null));
                return;
            }

            _verbose = IsEnabled("Verbose", "VerbosePreference");
            if (_verbose)
            {
                _engine.Verbose = (request, text) => _notes.Enqueue(new Note($"{request.PolicyName} {request.DeliveryId}: {text}", false));
            }

            _engine.Warning = (request, text) => _notes.Enqueue(new Note($"{request.PolicyName}: {text}", true));
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == DeliverySet)
            {
                foreach (var delivery in Delivery)
                {
                    Replay(delivery);
                }
            }
            else if (ParameterSetName == RouteSet)
            {
                Route(Event!);
            }
            else if (ParameterSetName == SampleSet)
            {
                SendSamples();
            }
            else if (ParameterSetName == AdHocSet)
            {
                var alertEvent = Event;
                var policy = new AlertPolicy("(ad hoc)", new[] { alertEvent?.EventType ?? AlertEventType.JobFailure }, Url, Body, NewAlertPolicyCommand.ToHeaders(Header));
                if (Target.HasValue)
                {
                    policy.Target = Target.Value;
                }

                QueueDelivery(policy, alertEvent ?? SampleEvents.Create(AlertEventType.JobFailure));
            }
            else
            {
                foreach (var policy in Policy)
                {
                    QueueDelivery(policy, Event!);
                }
            }

            WriteFinished(waitForAll: false);
        }

        protected override void EndProcessing()
        {
            WriteFinished(waitForAll: true);
            if (_progressShown)
            {
                WriteProgress(new ProgressRecord(ProgressActivityId, "Send-AlertWebhook", "Done") { RecordType = ProgressRecordType.Completed });
            }
        }

        /// <summary>Ctrl+C: in-flight requests are cancelled and nothing is retried; the pipeline thread stops waiting at once.</summary>
        protected override void StopProcessing() => _cancellation.Cancel();

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

            QueueDelivery(request, $"replay of {delivery.Status} delivery {delivery.Id}");
        }

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
                QueueDelivery(policy, alertEvent);
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

                    QueueDelivery(policy, SampleEvents.Create(eventType, deployment));
                }
            }
        }

        /// <summary>Renders one policy for one event and queues it; a render or validation failure is one error, nothing is sent.</summary>
        private void QueueDelivery(AlertPolicy policy, AlertEvent alertEvent)
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

            QueueDelivery(request, $"{alertEvent.EventType} alert");
        }

        /// <summary>
        /// Queues a prepared request (a rendered policy, or a journal record to replay): asks ShouldProcess, waits for
        /// a free slot while writing finished deliveries, then starts it. Its result is written later, on this thread.
        /// </summary>
        private void QueueDelivery(DeliveryRequest request, string what = "alert")
        {
            var description = $"Send {what} to '{request.PolicyName}' at {request.Endpoint} with body:{Environment.NewLine}{request.Scrub(request.Body)}";
            if (!ShouldProcess(description, description, "Send-AlertWebhook"))
            {
                return;
            }

            while (_inFlight >= ThrottleLimit)
            {
                Completion? finished;
                try
                {
                    finished = _completed.Take(Timeout.Infinite, _cancellation.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new PipelineStoppedException();
                }

                if (finished != null)
                {
                    Write(finished);
                }
            }

            if (_verbose)
            {
                WriteVerbose($"POST {request.Endpoint} for policy '{request.PolicyName}' ({request.Body.Length} characters), delivery {request.DeliveryId}.");
            }

            _inFlight++;

            // Called here, not on a worker, so that each endpoint's line follows input order.
            Task<DeliveryResult> delivery;
            try
            {
                delivery = _engine!.DeliverAsync(request, _cancellation.Token);
            }
            catch (Exception exception)
            {
                delivery = Task.FromException<DeliveryResult>(exception);
            }

            delivery.ContinueWith(
                finished => _completed.Add(new Completion(request, finished.Status == TaskStatus.RanToCompletion ? finished.Result : null, finished.Exception?.GetBaseException())),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            WriteProgressIfDue();
        }

        private void WriteFinished(bool waitForAll)
        {
            while (true)
            {
                WriteNotes();
                var finished = _completed.Take(0, _cancellation.Token);
                if (finished != null)
                {
                    Write(finished);
                    continue;
                }

                if (!waitForAll || _inFlight == 0)
                {
                    break;
                }

                try
                {
                    finished = _completed.Take((int)ProgressInterval.TotalMilliseconds, _cancellation.Token);
                    if (finished != null)
                    {
                        Write(finished);
                    }
                }
                catch (OperationCanceledException)
                {
                    throw new PipelineStoppedException();
                }

                WriteProgressIfDue();
            }

            WriteProgressIfDue();
        }

        private void Write(Completion finished)
        {
            _inFlight--;
            WriteNotes();
            if (finished.Exception != null)
            {
                _failed++;
                WriteError(Errors.From(finished.Exception, finished.Request.PolicyName));
                return;
            }

            var result = finished.Result;
            if (result == null)
            {
                return;
            }

            if (result.Succeeded)
            {
                _succeeded++;
                if (_verbose)
                {
                    WriteVerbose($"Delivered '{result.PolicyName}' to {result.Endpoint}: HTTP {result.StatusCode} after {result.Attempts} attempt(s), {result.Duration.TotalSeconds:0.00} s.");
                }
            }
            else
            {
                _failed++;
            }

            WriteObject(result);
            if (!result.Succeeded && result.Failure != DeliveryFailure.Cancelled)
            {
                WriteError(DeliveryFailed(result));
            }
        }

        private void WriteNotes()
        {
            while (_notes.TryDequeue(out var note))
            {
                if (note.IsWarning)
                {
                    WriteWarning(note.Text);
                }
                else
                {
                    WriteVerbose(note.Text);
                }
            }
        }

        private void WriteProgressIfDue()
        {
            if (_inFlight <= 1 || (_progressClock.IsRunning && _progressClock.Elapsed < ProgressInterval))
            {
                return;
            }

            _progressClock.Restart();
            _progressShown = true;
            WriteProgress(new ProgressRecord(ProgressActivityId, "Send-AlertWebhook",
                $"{_succeeded} delivered, {_failed} failed, {_inFlight} in flight"));
        }

        private DeliveryOptions CreateOptions()
        {
            var options = DeliveryOptions.FromConfiguration(_configuration ?? new Configuration());
            if (MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSec)))
            {
                options.AttemptTimeout = TimeSpan.FromSeconds(TimeoutSec);
                if (options.TotalTimeout < options.AttemptTimeout)
                {
                    options.TotalTimeout = options.AttemptTimeout;
                }
            }

            if (MyInvocation.BoundParameters.ContainsKey(nameof(MaxAttempts)))
            {
                options.MaxAttempts = MaxAttempts;
            }

            return options;
        }

        private bool IsEnabled(string parameter, string preference)
        {
            if (MyInvocation.BoundParameters.TryGetValue(parameter, out var value))
            {
                return value is SwitchParameter flag ? flag.IsPresent : LanguagePrimitives.IsTrue(value);
            }

            return GetVariableValue(preference) is ActionPreference action && action != ActionPreference.SilentlyContinue && action != ActionPreference.Ignore;
        }

        internal static ErrorRecord DeliveryFailed(DeliveryResult result)
        {
            var category = result.Failure switch
            {
                DeliveryFailure.ConnectionFailed => ErrorCategory.ConnectionError,
                DeliveryFailure.Timeout => ErrorCategory.OperationTimeout,
                DeliveryFailure.Unauthorized => ErrorCategory.PermissionDenied,
                DeliveryFailure.InvalidPayload => ErrorCategory.InvalidData,
                DeliveryFailure.RateLimited => ErrorCategory.LimitsExceeded,
                DeliveryFailure.RetryAfterTooLong => ErrorCategory.LimitsExceeded,
                DeliveryFailure.CircuitOpen => ErrorCategory.ResourceUnavailable,
                DeliveryFailure.EndpointDead => ErrorCategory.ResourceUnavailable,
                DeliveryFailure.NotFound => ErrorCategory.ObjectNotFound,
                DeliveryFailure.Cancelled => ErrorCategory.OperationStopped,
                _ => ErrorCategory.InvalidResult,
            };
            var status = result.StatusCode.HasValue ? $"HTTP {result.StatusCode}" : "no HTTP status";
            var message = $"Alert for policy '{result.PolicyName}' was not delivered to {result.Endpoint} ({status}, {result.Attempts} attempt(s), {result.Duration.TotalSeconds:0.00} s): {result.Error}";
            return new ErrorRecord(new InvalidOperationException(message), "AlertDeliveryFailed", category, result)
            {
                ErrorDetails = new ErrorDetails(message)
                {
                    RecommendedAction = RecommendedAction(result.Failure),
                },
            };
        }

        private static string RecommendedAction(DeliveryFailure failure) => failure switch
        {
            DeliveryFailure.InvalidPayload => "Check the body with Test-AlertTemplate against the target's limits.",
            DeliveryFailure.Unauthorized => "Check the webhook URL or the credential headers; they may have been revoked.",
            DeliveryFailure.NotFound => "The webhook does not exist any more: create a new one and update the policy.",
            DeliveryFailure.EndpointDead => "The webhook does not exist any more: create a new one and update the policy.",
            DeliveryFailure.RetryAfterTooLong => "Send the alert again later, or raise MaxRetryAfterSec.",
            DeliveryFailure.RateLimited => "Send fewer alerts to this endpoint, or send again later.",
            DeliveryFailure.CircuitOpen => "The endpoint keeps failing; check it, then send again after the break.",
            _ => "Send the alert again later.",
        };

        /// <summary>
        /// Finished deliveries on their way to the pipeline thread. A waiting pipeline thread sleeps at once: the
        /// semaphore under a BlockingCollection spins first, and on two cores that spinning took the CPU the deliveries
        /// it waited for needed.
        /// </summary>
        private sealed class CompletionQueue
        {
            private readonly ConcurrentQueue<Completion> _items = new ConcurrentQueue<Completion>();
            private readonly ManualResetEventSlim _added = new ManualResetEventSlim(false, spinCount: 0);

            public void Add(Completion item)
            {
                _items.Enqueue(item);
                _added.Set();
            }

            /// <summary>The next finished delivery, or null when none came within <paramref name="millisecondsTimeout"/>.</summary>
            public Completion? Take(int millisecondsTimeout, CancellationToken cancellationToken)
            {
                while (true)
                {
                    if (_items.TryDequeue(out var item))
                    {
                        return item;
                    }

                    _added.Reset();
                    // One added between the first look and the reset has set the event already: look again before waiting.
                    if (_items.TryDequeue(out item))
                    {
                        return item;
                    }

                    if (millisecondsTimeout == 0 || !_added.Wait(millisecondsTimeout, cancellationToken))
                    {
                        return null;
                    }
                }
            }
        }

        private sealed class Completion
        {
            public Completion(DeliveryRequest request, DeliveryResult? result, Exception? exception)
            {
                Request = request;
                Result = result;
                Exception = exception;
            }

            public DeliveryRequest Request { get; }
            public DeliveryResult? Result { get; }
            public Exception? Exception { get; }
        }

        private sealed class Note
        {
            public Note(string text, bool isWarning)
            {
                Text = text;
                IsWarning = isWarning;
            }

            public string Text { get; }
            public bool IsWarning { get; }
        }
    }
}
