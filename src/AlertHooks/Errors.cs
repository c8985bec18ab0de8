using System;
using System.Management.Automation;
using AlertHooks.Delivery;

namespace AlertHooks.Commands
{
    /// <summary>Turns Core exceptions into error records with stable ids and the right category.</summary>
    internal static class Errors
    {
        public static ErrorRecord From(Exception exception, object? target)
        {
            switch (exception)
            {
                case TemplateException template:
                    return new ErrorRecord(exception, template.Code, ErrorCategory.InvalidData, target);
                case DeliveryValidationException validation:
                    return new ErrorRecord(exception, validation.Code,
                        validation.Code == "InsecureUrl" ? ErrorCategory.SecurityError : ErrorCategory.InvalidArgument, target);
                case PolicyValidationException policy:
                    return new ErrorRecord(exception, policy.Code, ErrorCategory.InvalidArgument, target);
                case PolicyFileException file:
                    return new ErrorRecord(exception, file.Code, file.Code == "PolicyFileUnreadable" ? ErrorCategory.ReadError : ErrorCategory.InvalidData, file.Path);
                case PolicyConflictException conflict:
                    return new ErrorRecord(exception, conflict.Code,
                        conflict.Code == "PolicyNotFound" ? ErrorCategory.ObjectNotFound : ErrorCategory.ResourceExists, target);
                case UnknownTokenException _:
                    return new ErrorRecord(exception, "UnknownToken", ErrorCategory.InvalidArgument, target);
                case TokenNotAvailableException _:
                    return new ErrorRecord(exception, "TokenNotAvailable", ErrorCategory.InvalidArgument, target);
                case ArgumentException _:
                    return new ErrorRecord(exception, "InvalidArgument", ErrorCategory.InvalidArgument, target);
                default:
                    return new ErrorRecord(exception, "AlertHooksError", ErrorCategory.NotSpecified, target);
            }
        }

        public static ErrorRecord Create(string id, ErrorCategory category, string message, object? target) =>
            new ErrorRecord(new InvalidOperationException(message), id, category, target);
    }
}
