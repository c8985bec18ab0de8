using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AlertHooks.Commands;
using AlertHooks.Delivery;

namespace AlertHooks.Completers
{
    /// <summary>Completes delivery ids from the journal, newest first, with status and policy as the tooltip.</summary>
    public sealed class DeliveryIdCompleter : IArgumentCompleter
    {
        private const int MaxResults = 100;

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            IReadOnlyList<AlertDelivery> records;
            try
            {
                records = new FileDeliveryJournal(JournalAccess.Configuration().EffectiveJournalPath).Read().Records;
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                return Array.Empty<CompletionResult>();
            }

            return records
                .Where(r => r.Id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .OrderByDescending(r => r.Updated)
                .Take(MaxResults)
                .Select(r => new CompletionResult(r.Id, r.Id, CompletionResultType.ParameterValue,
                    $"{r.Status} · {r.PolicyName} · {r.Updated.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}"))
                .ToArray();
        }
    }
}
