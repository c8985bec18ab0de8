using System.Management.Automation;

namespace AlertHooks.Commands
{
    /// <summary>Stops local receivers: the ones given, or every receiver of the session.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "AlertReceiver")]
    [OutputType(typeof(AlertReceiver))]
    public sealed class StopAlertReceiverCommand : PSCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true)]
        public AlertReceiver[]? Receiver { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private bool _sawInput;

        protected override void ProcessRecord()
        {
            if (Receiver == null)
            {
                return;
            }

            _sawInput = true;
            foreach (var receiver in Receiver)
            {
                Stop(receiver);
            }
        }

        protected override void EndProcessing()
        {
            if (_sawInput)
            {
                return;
            }

            foreach (var receiver in ReceiverRegistry.All())
            {
                Stop(receiver);
            }
        }

        private void Stop(AlertReceiver receiver)
        {
            receiver.Stop();
            ReceiverRegistry.Remove(receiver);
            WriteVerbose($"Stopped {receiver.Url} after {receiver.RequestCount} request(s).");
            if (PassThru)
            {
                WriteObject(receiver);
            }
        }
    }
}
