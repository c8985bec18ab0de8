using System.Text;
using System.Text.Json;

namespace AlertHooks.Targets
{
    /// <summary>Teams through a Workflows webhook: the message envelope around an Adaptive Card, 28 KB in UTF-8.</summary>
    public sealed class TeamsValidator : PayloadValidator
    {
        /// <summary>"28 KB" read as 28,000 bytes, the stricter reading: a payload accepted here is accepted there.</summary>
        public const int MaxBytes = 28_000;
        public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

        internal static readonly TeamsValidator Instance = new TeamsValidator();

        public override TargetKind Target => TargetKind.Teams;

        protected override void Check(string payload, JsonElement root, Findings findings)
        {
            var bytes = Encoding.UTF8.GetByteCount(payload);
            if (bytes > MaxBytes)
            {
                findings.Add("PayloadTooLarge", "$", $"The message is {bytes} bytes in UTF-8; Teams takes at most {MaxBytes} (28 KB). Truncate the long tokens.");
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                findings.Add("NotAnObject", "$", "A Teams workflow message is a JSON object.");
                return;
            }

            if (!TryGetString(root, "type", out var type) || type != "message")
            {
                findings.Add("NotAMessage", "$.type", "The Workflows envelope needs \"type\": \"message\".");
            }

            if (!TryGet(root, "attachments", JsonValueKind.Array, out var attachments) || attachments.GetArrayLength() == 0)
            {
                findings.Add("MissingAttachments", "$.attachments",
                    "The Workflows envelope needs \"attachments\": [{\"contentType\": \"" + AdaptiveCardContentType + "\", \"content\": { Adaptive Card }}].");
                return;
            }

            var index = 0;
            foreach (var attachment in attachments.EnumerateArray())
            {
                var path = Path("$.attachments", index++);
                if (!TryGetString(attachment, "contentType", out var contentType) || contentType != AdaptiveCardContentType)
                {
                    findings.Add("InvalidContentType", Path(path, "contentType"), $"The attachment contentType must be \"{AdaptiveCardContentType}\".");
                }

                if (!TryGet(attachment, "content", JsonValueKind.Object, out var card))
                {
                    findings.Add("MissingCard", Path(path, "content"), "The attachment needs an Adaptive Card object as its content.");
                    continue;
                }

                if (!TryGetString(card, "type", out var cardType) || cardType != "AdaptiveCard")
                {
                    findings.Add("NotAnAdaptiveCard", Path(Path(path, "content"), "type"), "The attachment content needs \"type\": \"AdaptiveCard\".");
                }

                if (!TryGetString(card, "version", out _))
                {
                    findings.Warn("MissingCardVersion", Path(Path(path, "content"), "version"), "Give the card a version, such as \"1.4\"; Teams may not render a card without one.");
                }
            }
        }
    }
}
