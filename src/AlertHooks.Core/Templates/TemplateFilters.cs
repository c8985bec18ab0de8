using System;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Fluid;
using Fluid.Values;

namespace AlertHooks.Templates
{
    /// <summary>Liquid filters for webhook payloads, beyond standard Liquid.</summary>
    internal static class TemplateFilters
    {
        public static TemplateOptionsBuilder AddAlertFilters(this TemplateOptionsBuilder builder) =>
            builder
                .AddFilter("slack_escape", SlackEscape)
                .AddFilter("iso8601", Iso8601)
                .AddFilter("discord_time", DiscordTime)
                .AddFilter("truncate", Truncate)
                .AddFilter("json", Json);

        private static readonly char[] SlackSpecial = { '&', '<', '>' };

        /// <summary>Slack mrkdwn control characters, and nothing else: Slack shows any other entity literally.</summary>
        public static string EscapeSlack(string text)
        {
            if (text.IndexOfAny(SlackSpecial) < 0)
            {
                return text;
            }

            return text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
        }

        /// <summary>Cuts text to at most <paramref name="length"/> UTF-16 units including the ellipsis, never inside a surrogate pair.</summary>
        public static string TruncateText(string text, int length, string ellipsis)
        {
            if (text.Length <= length)
            {
                return text;
            }

            var keep = Math.Max(0, length - ellipsis.Length);
            if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
            {
                keep--;
            }

            return text.Substring(0, keep) + ellipsis;
        }

        public static string FormatIso8601(DateTimeOffset value) =>
            value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        private static ValueTask<FluidValue> SlackEscape(FluidValue input, FilterArguments arguments, TemplateContext context) =>
            new ValueTask<FluidValue>(StringValue.Create(EscapeSlack(input.ToStringValue(context))));

        private static ValueTask<FluidValue> Iso8601(FluidValue input, FilterArguments arguments, TemplateContext context) =>
            new ValueTask<FluidValue>(TryGetMoment(input, context, out var moment)
                ? StringValue.Create(FormatIso8601(moment))
                : input);

        private static ValueTask<FluidValue> DiscordTime(FluidValue input, FilterArguments arguments, TemplateContext context)
        {
            if (!TryGetMoment(input, context, out var moment))
            {
                return new ValueTask<FluidValue>(input);
            }

            var style = arguments.Count > 0 ? arguments.At(0).ToStringValue(context) : "R";
            return new ValueTask<FluidValue>(StringValue.Create($"<t:{moment.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}:{style}>"));
        }

        private static ValueTask<FluidValue> Truncate(FluidValue input, FilterArguments arguments, TemplateContext context)
        {
            var text = input.ToStringValue(context);
            var length = arguments.Count > 0 ? (int)arguments.At(0).ToNumberValue(context) : 50;
            var ellipsis = arguments.Count > 1 ? arguments.At(1).ToStringValue(context) : "...";
            return new ValueTask<FluidValue>(StringValue.Create(TruncateText(text, length, ellipsis)));
        }

        private static ValueTask<FluidValue> Json(FluidValue input, FilterArguments arguments, TemplateContext context)
        {
            var value = input is TimeValue time ? FormatIso8601(time.Moment) : input.ToObjectValue(context);
            var json = JsonSerializer.Serialize(value, JsonOptions);
            // Already JSON: the output encoder must not escape it a second time.
            return new ValueTask<FluidValue>(StringValue.Create(json, false));
        }

        private static readonly JsonSerializerOptions JsonOptions = new JsonSerializerOptions
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        private static bool TryGetMoment(FluidValue input, TemplateContext context, out DateTimeOffset moment)
        {
            switch (input.ToObjectValue(context))
            {
                case DateTimeOffset offset:
                    moment = offset;
                    return true;
                case DateTime dateTime:
                    moment = new DateTimeOffset(dateTime);
                    return true;
            }

            var text = input.ToStringValue(context);
            if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var unix))
            {
                moment = DateTimeOffset.FromUnixTimeSeconds(unix);
                return true;
            }

            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out moment);
        }
    }

    /// <summary>A moment that prints the way the platform writes times, and is still a date to Liquid's filters.</summary>
    internal sealed class TimeValue : FluidValue
    {
        public TimeValue(DateTimeOffset moment) => Moment = moment;

        public DateTimeOffset Moment { get; }

        public override FluidValues Type => FluidValues.DateTime;

        public override bool Equals(FluidValue other) => other is TimeValue time && time.Moment == Moment;

        public override bool ToBooleanValue(TemplateContext context) => true;

        public override decimal ToNumberValue(TemplateContext context) => Moment.ToUnixTimeSeconds();

        public override string ToStringValue(TemplateContext context) => AlertEvent.FormatTime(Moment);

        public override object ToObjectValue(TemplateContext context) => Moment;

        public override ValueTask WriteToAsync(IFluidOutput output, System.Text.Encodings.Web.TextEncoder encoder, TemplateContext context)
        {
            var text = ToStringValue(context);
            output.Write(encoder == null ? text : encoder.Encode(text));
            return default;
        }

        public override bool Equals(object? obj) => obj is TimeValue time && time.Moment == Moment;

        public override int GetHashCode() => Moment.GetHashCode();
    }
}
