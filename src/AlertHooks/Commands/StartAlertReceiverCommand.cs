using System;
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

        /// <summary>Answers for the first requests, in order: status codes, 'drop', or '429:Retry-After=2'.</summary>
        [Parameter]
        public string[] Response { get; set; } = Array.Empty<string>();

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
                responses = Response.Select(ReceiverResponse.Parse).ToArray();
            }
            catch (FormatException exception)
            {
                ThrowTerminatingError(new ErrorRecord(exception, "InvalidReceiverResponse", ErrorCategory.InvalidArgument, Response));
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

            if (Chaos)
            {
                receiver.Responder = new ChaosResponder(Seed, FaultRatio).Respond;
            }

            ReceiverRegistry.Add(receiver);
            WriteVerbose($"Receiving on {receiver.Url}");
            WriteObject(receiver);
        }
    }
}
