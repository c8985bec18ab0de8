using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using AlertHooks.Completers;
using AlertHooks.Delivery;

namespace AlertHooks.Commands
{
    /// <summary>Lists the records of the delivery journal: pending, failed and delivered alerts.</summary>
    [Cmdlet(VerbsCommon.Get, "AlertDelivery")]
    [OutputType(typeof(AlertDelivery))]
    public sealed class GetAlertDeliveryCommand : PSCmdlet
    {
        private FileDeliveryJournal? _journal;
        private JournalSnapshot? _snapshot;

        /// <summary>Delivery ids (the idempotency key); wildcards allowed.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(DeliveryIdCompleter))]
        [Alias("DeliveryId")]
        public string[]? Id { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public DeliveryStatus[]? Status { get; set; }

        /// <summary>Only records updated (created, attempted or replayed) at or after this time.</summary>
        [Parameter]
        public DateTime? Since { get; set; }

        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? PolicyName { get; set; }

        protected override void BeginProcessing()
        {
            try
            {
                _journal = JournalAccess.Open();
                _snapshot = _journal.Read();
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                ThrowTerminatingError(Errors.Create("JournalUnreadable", ErrorCategory.ReadError,
                    $"The delivery journal cannot be read: {exception.Message}", JournalAccess.Configuration().EffectiveJournalPath));
                return;
            }

            foreach (var problem in _snapshot.Problems)
            {
                WriteWarning($"Skipped '{problem.Path}': it is not a readable journal record ({problem.Message}).");
            }
        }

        protected override void ProcessRecord()
        {
            var records = _snapshot!.Records.AsEnumerable();
            if (Status != null)
            {
                records = records.Where(r => Status.Contains(r.Status));
            }

            if (Since.HasValue)
            {
                var since = new DateTimeOffset(Since.Value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(Since.Value, DateTimeKind.Local) : Since.Value);
                records = records.Where(r => r.Updated >= since);
            }

            if (PolicyName != null)
            {
                var patterns = PolicyName.Select(Pattern).ToArray();
                records = records.Where(r => patterns.Any(p => p.IsMatch(r.PolicyName)));
            }

            if (Id == null)
            {
                WriteObject(records, enumerateCollection: true);
                return;
            }

            var list = records.ToList();
            foreach (var id in Id)
            {
                var pattern = Pattern(id);
                var matches = list.Where(r => pattern.IsMatch(r.Id)).ToList();
                if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(id) && _snapshot.Records.All(r => !pattern.IsMatch(r.Id)))
                {
                    WriteError(Errors.Create("DeliveryNotFound", ErrorCategory.ObjectNotFound,
                        $"The delivery journal has no record '{id}'.", id));
                    continue;
                }

                WriteObject(matches, enumerateCollection: true);
            }
        }

        private static WildcardPattern Pattern(string text) => new WildcardPattern(text, WildcardOptions.IgnoreCase);
    }
}
