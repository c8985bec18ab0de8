using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace AlertHooks.Completers
{
    /// <summary>Completes token names from the catalog, only those of the -EventType already given if any.</summary>
    public sealed class TokenNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var eventTypes = BoundEventTypes(fakeBoundParameters);
            var matches = CompletionPattern.For(wordToComplete);
            return TokenCatalog.All
                .Where(t => eventTypes.Count == 0 || t.IsGlobal || t.EventTypes.Any(eventTypes.Contains))
                .Where(t => matches(t.Name))
                .Select(t => new CompletionResult(t.Name, t.Name, CompletionResultType.ParameterValue, t.Description));
        }

        private static HashSet<AlertEventType> BoundEventTypes(IDictionary fakeBoundParameters)
        {
            var types = new HashSet<AlertEventType>();
            if (fakeBoundParameters == null || !fakeBoundParameters.Contains("EventType"))
            {
                return types;
            }

            var value = fakeBoundParameters["EventType"];
            var items = value is IEnumerable enumerable && !(value is string) ? enumerable.Cast<object>() : new[] { value };
            foreach (var item in items)
            {
                var raw = item is PSObject wrapped ? wrapped.BaseObject : item;
                if (raw is AlertEventType type || Enum.TryParse(Convert.ToString(raw, System.Globalization.CultureInfo.InvariantCulture), true, out type))
                {
                    types.Add(type);
                }
            }

            return types;
        }
    }

    /// <summary>What a completer matches: what was typed, unquoted, followed by anything; wildcards allowed.</summary>
    internal static class CompletionPattern
    {
        public static Func<string, bool> For(string? wordToComplete)
        {
            var typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            try
            {
                var pattern = WildcardPattern.Get(typed + "*", WildcardOptions.IgnoreCase);
                pattern.IsMatch(string.Empty);
                return pattern.IsMatch;
            }
            catch (WildcardPatternException)
            {
                // Half-typed brackets: completion must never throw at the user's prompt.
                return name => name.StartsWith(typed, StringComparison.OrdinalIgnoreCase);
            }
        }
    }
}
