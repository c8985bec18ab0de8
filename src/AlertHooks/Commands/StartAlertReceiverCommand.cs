using System;
using System.Collections;
using System.Globalization;
using System.Linq;
using System.Management.Automation;

namespace AlertHooks.Commands
{
    /// <summary>Starts a local webhook receiver on 127.0.0.1 that records every request.</summary>
    [Cmdlet(VerbsLifecycle.Start, "AlertReceiver")]
    [OutputType(typeof(AlertReceiver))]
    public sealed class StartAlertReceiverCommand : PSCmdlet
    {
        /// <summary>The port to listen on; 0 (the default) takes a free one.</summary>
        [Parameter(Position = 0)]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        /// <summary>
        /// Answers for the first requests, in order: status codes, 'drop', '429:Retry-After=2', or hashtables
        /// such as @{ Status = 429; Headers = @{ 'Retry-After' = '2' }; Body = '...'; DelayMs = 500 }.
        /// </summary>
        [Parameter]
        [AllowEmptyCollection]
        public object[] Response { get; set; } = Array.Empty<object>();

        /// <summary>Requests per second the receiver accepts; beyond it (after -RateBurst) it answers 429 with Retry-After: 1.</summary>
        [Parameter]
        [ValidateRange(0.001, 100000)]
        public double RateLimit { get; set; }

        /// <summary>Requests accepted at once before -RateLimit applies.</summary>
        [Parameter]
        [ValidateRange(1, 100000)]
        public int RateBurst { get; set; } = 1;

        /// <summary>Answers like an unreliable endpoint, reproducibly from -Seed: see <see cref="ChaosResponder"/>.</summary>
        [Parameter]
        public SwitchParameter Chaos { get; set; }

        [Parameter]
        public int Seed { get; set; }

        /// <summary>The share of requests that get a fault in -Chaos mode.</summary>
        [Parameter]
        [ValidateRange(0.0, 1.0)]
        public double FaultRatio { get; set; } = 0.3;

        protected override void EndProcessing()
        {
            ReceiverResponse[] responses;
            try
            {
                responses = Response.Select(ToResponse).ToArray();
            }
            catch (Exception exception) when (exception is FormatException || exception is InvalidCastException || exception is OverflowException)
            {
                ThrowTerminatingError(new ErrorRecord(new FormatException(exception.Message, exception), "InvalidReceiverResponse", ErrorCategory.InvalidArgument, Response));
                return;
            }

            AlertReceiver receiver;
            try
            {
                receiver = new AlertReceiver(Port, responses);
            }
            catch (System.Net.Sockets.SocketException exception)
            {
                ThrowTerminatingError(new ErrorRecord(exception, "ReceiverPortUnavailable", ErrorCategory.ResourceUnavailable, Port));
                return;
            }

            if (MyInvocation.BoundParameters.ContainsKey(nameof(RateLimit)))
            {
                receiver.RateLimit = new ReceiverRateLimit(RateLimit, RateBurst);
            }

            if (Chaos)
            {
                receiver.Responder = new ChaosResponder(Seed, FaultRatio).Respond;
            }

            ReceiverRegistry.Add(receiver);
            WriteVerbose($"Receiving on {receiver.Url}" + (receiver.RateLimit == null ? string.Empty : $", rate limit {receiver.RateLimit}"));
            WriteObject(receiver);
        }

        private static ReceiverResponse ToResponse(object? item)
        {
            var value = item is PSObject wrapped ? wrapped.BaseObject : item;
            switch (value)
            {
                case ReceiverResponse response:
                    return response;
                case IDictionary dictionary:
                    return ReceiverResponse.FromDictionary(dictionary);
                case int status:
                    return ReceiverResponse.Parse(status.ToString(CultureInfo.InvariantCulture));
                case string text:
                    return ReceiverResponse.Parse(text);
                case null:
                    throw new FormatException("A receiver response cannot be null.");
                default:
                    return ReceiverResponse.Parse(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
            }
        }
    }
}
