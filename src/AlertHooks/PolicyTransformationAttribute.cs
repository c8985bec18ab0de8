using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AlertHooks.Policies;

namespace AlertHooks.Commands
{
    /// <summary>
    /// Lets a parameter of type <see cref="AlertPolicy"/>[] take policy names too: each string is looked up in the store
    /// (wildcards allowed), so that <c>Send-AlertWebhook -Policy ops-slack</c> works like passing the object.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class PolicyTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var items = inputData is IEnumerable enumerable && !(inputData is string) ? enumerable.Cast<object>() : new[] { inputData };
            if (!items.Select(Unwrap).Any(i => i is string))
            {
                return inputData;
            }

            IReadOnlyList<AlertPolicy>? registered = null;
            var result = new List<AlertPolicy>();
            foreach (var item in items.Select(Unwrap))
            {
                if (!(item is string name))
                {
                    result.Add(item as AlertPolicy ?? throw new ArgumentTransformationMetadataException(
                        $"Cannot use '{item}' as a policy: give an AlertPolicy object or the name of a registered policy."));
                    continue;
                }

                registered ??= PolicyStore.Open().Load().Policies;
                var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
                var matches = registered.Where(p => pattern.IsMatch(p.Name)).ToList();
                if (matches.Count == 0)
                {
                    throw new ArgumentTransformationMetadataException(
                        $"No policy named '{name}' is registered. Run Get-AlertPolicy to list the registered policies.");
                }

                result.AddRange(matches);
            }

            return result.ToArray();
        }

        private static object? Unwrap(object? item) => item is PSObject wrapped ? wrapped.BaseObject : item;
    }
}
