using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Threading.Tasks;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace AlertHooks.Delivery
{
    /// <summary>
    /// One resilience pipeline per endpoint, for the whole session: total time-out → retry → circuit breaker →
    /// pacing → attempt time-out. The limits of each call (attempts, time-outs) travel in the
    /// <see cref="ResilienceContext"/>, so every call shares the endpoint's breaker, pacing and dead-endpoint mark.
    /// </summary>
    public sealed class EndpointPipelines
    {
        private static readonly Random SharedRandom = new Random();

        private readonly ConcurrentDictionary<string, Endpoint> _endpoints = new ConcurrentDictionary<string, Endpoint>(StringComparer.Ordinal);

        public EndpointPipelines(TimeProvider? timeProvider = null, Func<double>? random = null)
        {
            TimeProvider = timeProvider ?? TimeProvider.System;
            Random = random ?? NextShared;
        }

        /// <summary>The endpoints of this PowerShell session (a process-wide registry).</summary>
        public static EndpointPipelines Session { get; } = new EndpointPipelines();

        public TimeProvider TimeProvider { get; }

        /// <summary>Pacing per target; applies to endpoints first used after a change.</summary>
        public IDictionary<TargetKind, PacingProfile> Pacing { get; } = PacingProfile.Defaults();

        /// <summary>Failure ratio within <see cref="BreakerSamplingDuration"/> (of at least <see cref="BreakerMinimumThroughput"/> attempts) that opens an endpoint's circuit.</summary>
        public double BreakerFailureRatio { get; set; } = 0.5;

        public int BreakerMinimumThroughput { get; set; } = 8;

        public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>How long an open circuit fails fast before one trial attempt.</summary>
        public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>A random number in [0, 1) for full jitter.</summary>
        internal Func<double> Random { get; }

        public int Count => _endpoints.Count;

        /// <summary>Forgets every endpoint: breakers close, pacing restarts, dead endpoints are tried again.</summary>
        public void Reset() => _endpoints.Clear();

        internal Endpoint For(DeliveryRequest request) =>
            _endpoints.GetOrAdd(request.Url.AbsoluteUri, _ => CreateEndpoint(request.Target));

        private Endpoint CreateEndpoint(TargetKind target)
        {
            var pacer = new EndpointPacer(Pacing.TryGetValue(target, out var profile) ? profile : PacingProfile.Unpaced, TimeProvider);
            return new Endpoint(target, pacer, BuildPipeline(pacer));
        }

        private ResiliencePipeline<AttemptOutcome> BuildPipeline(EndpointPacer pacer)
        {
            return new ResiliencePipelineBuilder<AttemptOutcome> { TimeProvider = TimeProvider }
                .AddTimeout(new TimeoutStrategyOptions
                {
                    Name = "TotalTimeout",
                    TimeoutGenerator = args => new ValueTask<TimeSpan>(AttemptState.Of(args.Context).Options.TotalTimeout),
                    OnTimeout = args =>
                    {
                        AttemptState.Of(args.Context).TotalTimedOut = true;
                        return default;
                    },
                })
                .AddRetry(new RetryStrategyOptions<AttemptOutcome>
                {
                    // The call's own MaxAttempts decides, in ShouldRetry.
                    MaxRetryAttempts = int.MaxValue,
                    ShouldHandle = args => new ValueTask<bool>(ShouldRetry(AttemptState.Of(args.Context), args.Outcome)),
                    DelayGenerator = args => new ValueTask<TimeSpan?>(AttemptState.Of(args.Context).NextDelay),
                    OnRetry = args =>
                    {
                        var state = AttemptState.Of(args.Context);
                        state.Note($"attempt {state.Attempts} failed ({state.LastFailureText()}); retrying in {args.RetryDelay.TotalSeconds:0.###} s");
                        return default;
                    },
                })
                .AddCircuitBreaker(new CircuitBreakerStrategyOptions<AttemptOutcome>
                {
                    FailureRatio = BreakerFailureRatio,
                    MinimumThroughput = BreakerMinimumThroughput,
                    SamplingDuration = BreakerSamplingDuration,
                    BreakDuration = BreakerBreakDuration,
                    ShouldHandle = args => new ValueTask<bool>(IsTransient(args.Outcome)),
                })
                .AddStrategy(_ => new PacingStrategy(pacer))
                .AddTimeout(new TimeoutStrategyOptions
                {
                    Name = "AttemptTimeout",
                    TimeoutGenerator = args => new ValueTask<TimeSpan>(AttemptState.Of(args.Context).Options.AttemptTimeout),
                })
                .Build();
        }

        private static bool IsTransient(Outcome<AttemptOutcome> outcome) =>
            outcome.Exception is HttpRequestException || outcome.Exception is IOException || outcome.Exception is TimeoutRejectedException
            || (outcome.Exception == null && outcome.Result != null && outcome.Result.Retryable);

        private bool ShouldRetry(AttemptState state, Outcome<AttemptOutcome> outcome)
        {
            // A user's cancellation, the total time-out and an open circuit are final; so is every answer the target won't change its mind about.
            if (!IsTransient(outcome) || state.Attempts >= state.Options.MaxAttempts)
            {
                return false;
            }

            var options = state.Options;
            TimeSpan delay;
            var retryAfter = outcome.Result?.RetryAfter;
            if (retryAfter.HasValue)
            {
                if (retryAfter.Value > options.MaxRetryAfter)
                {
                    state.StopFailure = DeliveryFailure.RetryAfterTooLong;
                    state.StopNote = $"the endpoint asked to wait {retryAfter.Value.TotalSeconds:0.###} s, more than the {options.MaxRetryAfter.TotalSeconds:0.###} s allowed (MaxRetryAfterSec); failed for now, send it again later";
                    return false;
                }

                delay = retryAfter.Value;
            }
            else
            {
                // Full jitter (AWS): random in [0, min(cap, base * 2^n)] spreads many senders' retries apart.
                var ceiling = Math.Min(options.MaxDelay.TotalMilliseconds, options.BaseDelay.TotalMilliseconds * Math.Pow(2, state.Attempts - 1));
                delay = TimeSpan.FromMilliseconds(ceiling * Random());
            }

            var elapsed = TimeProvider.GetElapsedTime(state.StartedAt);
            if (elapsed + delay >= options.TotalTimeout)
            {
                state.StopNote = $"no time left for another attempt: waiting {delay.TotalSeconds:0.###} s would pass the total time-out of {options.TotalTimeout.TotalSeconds:0.###} s";
                return false;
            }

            state.NextDelay = delay;
            return true;
        }

        private static double NextShared()
        {
            lock (SharedRandom)
            {
                return SharedRandom.NextDouble();
            }
        }

        /// <summary>Waits for the endpoint's pace before each attempt; the first attempt's slot is taken before the total time-out starts.</summary>
        private sealed class PacingStrategy : ResilienceStrategy<AttemptOutcome>
        {
            private readonly EndpointPacer _pacer;

            public PacingStrategy(EndpointPacer pacer) => _pacer = pacer;

            protected override ValueTask<Outcome<AttemptOutcome>> ExecuteCore<TState>(
                Func<ResilienceContext, TState, ValueTask<Outcome<AttemptOutcome>>> callback, ResilienceContext context, TState state)
            {
                var lease = AttemptState.Of(context).TakeFirstSlot();
                if (lease == null)
                {
                    var acquiring = _pacer.AcquireAsync(context.CancellationToken);
                    if (!acquiring.IsCompletedSuccessfully)
                    {
                        return WaitThenExecuteAsync(acquiring, callback, context, state);
                    }

                    lease = acquiring.Result;
                }

                // An unpaced endpoint's lease gives nothing back, so the attempt needs no wrapper of its own to release it.
                return ReferenceEquals(lease, EndpointPacer.Unpaced) ? callback(context, state) : ExecuteLeasedAsync(lease, callback, context, state);
            }

            private static async ValueTask<Outcome<AttemptOutcome>> WaitThenExecuteAsync<TState>(
                ValueTask<IDisposable> acquiring, Func<ResilienceContext, TState, ValueTask<Outcome<AttemptOutcome>>> callback, ResilienceContext context, TState state)
            {
                IDisposable lease;
                try
                {
                    lease = await acquiring.ConfigureAwait(false);
                }
                catch (OperationCanceledException exception)
                {
                    return Outcome.FromException<AttemptOutcome>(exception);
                }

                return await ExecuteLeasedAsync(lease, callback, context, state).ConfigureAwait(false);
            }

            private static async ValueTask<Outcome<AttemptOutcome>> ExecuteLeasedAsync<TState>(
                IDisposable lease, Func<ResilienceContext, TState, ValueTask<Outcome<AttemptOutcome>>> callback, ResilienceContext context, TState state)
            {
                using (lease)
                {
                    return await callback(context, state).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>One destination URL's session state.</summary>
    internal sealed class Endpoint
    {
        private readonly object _lock = new object();
        private volatile string? _deadReason;
        private Task _tail = Task.CompletedTask;

        public Endpoint(TargetKind target, EndpointPacer pacer, ResiliencePipeline<AttemptOutcome> pipeline)
        {
            Target = target;
            Pacer = pacer;
            Pipeline = pipeline;
        }

        public TargetKind Target { get; }
        public EndpointPacer Pacer { get; }
        public ResiliencePipeline<AttemptOutcome> Pipeline { get; }

        /// <summary>
        /// Takes a place in this endpoint's line, in call order: alerts to one channel arrive in the order they
        /// were sent, one at a time. Complete the returned source when done; the task completes at this call's turn.
        /// </summary>
        public Task JoinLine(out TaskCompletionSource<bool> done)
        {
            done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lock)
            {
                var previous = _tail;
                _tail = done.Task;
                return previous;
            }
        }

        /// <summary>Set when the target said the webhook does not exist; later sends fail fast.</summary>
        public string? DeadReason
        {
            get => _deadReason;
            set => _deadReason = value;
        }
    }

    /// <summary>What the pipeline's strategies and the attempt share about one delivery.</summary>
    internal sealed class AttemptState
    {
        private static readonly ResiliencePropertyKey<AttemptState?> Key = new ResiliencePropertyKey<AttemptState?>("AlertHooks.Delivery");

        private IDisposable? _firstSlot;

        public AttemptState(DeliveryRequest request, DeliveryOptions options, Endpoint endpoint, Action<string>? note)
        {
            Request = request;
            Options = options;
            Endpoint = endpoint;
            NoteSink = note;
        }

        public DeliveryRequest Request { get; }
        public DeliveryOptions Options { get; }
        public Endpoint Endpoint { get; }
        public Action<string>? NoteSink { get; }
        public long StartedAt { get; set; }
        public int Attempts { get; set; }
        public AttemptOutcome? Last { get; set; }

        /// <summary>Why the last attempt got no answer (connection failure, attempt time-out), scrubbed.</summary>
        public string? LastError { get; set; }

        public bool TotalTimedOut { get; set; }
        public TimeSpan NextDelay { get; set; }
        public DeliveryFailure? StopFailure { get; set; }
        public string? StopNote { get; set; }

        public static AttemptState Of(ResilienceContext context) =>
            context.Properties.GetValue(Key, null) ?? throw new InvalidOperationException("The delivery pipeline ran without its state.");

        public void Attach(ResilienceContext context) => context.Properties.Set(Key, this);

        public void SetFirstSlot(IDisposable lease) => _firstSlot = lease;

        public IDisposable? TakeFirstSlot() => System.Threading.Interlocked.Exchange(ref _firstSlot, null);

        public string LastFailureText() => LastError ?? Last?.Describe() ?? "no answer";

        public void Note(string text) => NoteSink?.Invoke(Request.Scrub(text));
    }
}
