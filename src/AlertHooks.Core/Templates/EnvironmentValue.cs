using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Fluid;
using Fluid.Values;

namespace AlertHooks.Templates
{
    /// <summary>
    /// The <c>env</c> object of a template: reads variables at render time, so that policy files can be
    /// committed without their secrets, and remembers what it read so that it can be redacted.
    /// </summary>
    internal sealed class EnvironmentValue : FluidValue
    {
        public const string RootName = "env";

        private readonly Func<string, string?> _read;
        private readonly List<string> _readValues = new List<string>();

        public EnvironmentValue(Func<string, string?> read) => _read = read;

        public IReadOnlyCollection<string> ReadValues => _readValues;

        public override FluidValues Type => FluidValues.Object;

        public override ValueTask<FluidValue> GetValueAsync(string name, TemplateContext context) =>
            new ValueTask<FluidValue>(StringValue.Create(Read(name)));

        /// <summary>A variable's value, remembered as a secret; a missing variable is an error naming it.</summary>
        public string Read(string name)
        {
            var value = _read(name);
            if (value == null)
            {
                throw new MissingEnvironmentVariableException(name);
            }

            if (value.Length > 0)
            {
                _readValues.Add(value);
            }

            return value;
        }

        public override bool Equals(FluidValue other) => ReferenceEquals(this, other);

        public override bool ToBooleanValue(TemplateContext context) => true;

        public override decimal ToNumberValue(TemplateContext context) => 0;

        public override string ToStringValue(TemplateContext context) => string.Empty;

        public override object ToObjectValue(TemplateContext context) => string.Empty;

        public override ValueTask WriteToAsync(IFluidOutput output, System.Text.Encodings.Web.TextEncoder encoder, TemplateContext context) => default;

        public override bool Equals(object? obj) => ReferenceEquals(this, obj);

        public override int GetHashCode() => 0;
    }

    internal sealed class MissingEnvironmentVariableException : Exception
    {
        public MissingEnvironmentVariableException(string name)
            : base($"Environment variable '{name}' is not set.")
        {
            Diagnostic = new TemplateDiagnostic(DiagnosticSeverity.Error, DiagnosticCodes.MissingEnvironmentVariable,
                $"Environment variable '{name}' is not set; {{{{ env.{name} }}}} needs it at send time.", token: name);
        }

        public TemplateDiagnostic Diagnostic { get; }
    }
}
