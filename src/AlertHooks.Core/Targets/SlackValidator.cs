using System.Text.Json;

namespace AlertHooks.Targets
{
    /// <summary>Slack incoming webhooks: Block Kit limits and the top-level <c>text</c> that notifications show.</summary>
    public sealed class SlackValidator : PayloadValidator
    {
        public const int MaxBlocks = 50;
        public const int MaxHeaderText = 150;
        public const int MaxSectionText = 3000;
        public const int MaxSectionFields = 10;
        public const int MaxFieldText = 2000;
        public const int MaxButtonText = 75;
        public const int MaxButtonUrl = 3000;
        public const int MaxButtonValue = 2000;

        internal static readonly SlackValidator Instance = new SlackValidator();

        public override TargetKind Target => TargetKind.Slack;

        protected override void Check(string payload, JsonElement root, Findings findings)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                findings.Add("NotAnObject", "$", "A Slack message is a JSON object.");
                return;
            }

            var hasBlocks = TryGet(root, "blocks", JsonValueKind.Array, out var blocks) && blocks.GetArrayLength() > 0;
            var hasText = TryGetString(root, "text", out var text) && text.Trim().Length > 0;
            if (!hasText)
            {
                if (hasBlocks || Has(root, "attachments"))
                {
                    findings.Warn("MissingText", "$.text", "Send a top-level text as well: mobile and desktop notifications show it, not the blocks.");
                }
                else
                {
                    findings.Add("MissingText", "$.text", "The message has no text and no blocks; Slack answers 400 missing_text_or_fallback_or_attachments.");
                }
            }

            if (Has(root, "blocks") && root.GetProperty("blocks").ValueKind != JsonValueKind.Array)
            {
                findings.Add("InvalidBlocks", "$.blocks", "blocks must be an array of block objects.");
                return;
            }

            if (!hasBlocks)
            {
                return;
            }

            if (blocks.GetArrayLength() > MaxBlocks)
            {
                findings.Add("TooManyBlocks", "$.blocks", $"The message has {blocks.GetArrayLength()} blocks; the limit is {MaxBlocks}.");
            }

            var index = 0;
            foreach (var block in blocks.EnumerateArray())
            {
                CheckBlock(block, Path("$.blocks", index++), findings);
            }
        }

        private static void CheckBlock(JsonElement block, string path, Findings findings)
        {
            TryGetString(block, "type", out var type);
            switch (type)
            {
                case "header":
                    CheckHeader(block, path, findings);
                    break;
                case "section":
                    CheckSection(block, path, findings);
                    break;
                case "actions":
                    if (TryGet(block, "elements", JsonValueKind.Array, out var elements))
                    {
                        var index = 0;
                        foreach (var element in elements.EnumerateArray())
                        {
                            CheckElement(element, Path(Path(path, "elements"), index++), findings);
                        }
                    }

                    break;
                case "context":
                case "divider":
                case "image":
                case "input":
                case "file":
                case "rich_text":
                case "video":
                case "markdown":
                    break;
                default:
                    findings.Add("InvalidBlockType", Path(path, "type"), type.Length == 0
                        ? "Every block needs a type, such as \"section\" or \"header\"."
                        : $"{Show(type)} is not a Block Kit block type.");
                    break;
            }
        }

        private static void CheckHeader(JsonElement block, string path, Findings findings)
        {
            var textPath = Path(path, "text");
            if (!TryGet(block, "text", JsonValueKind.Object, out var text))
            {
                findings.Add("HeaderMissingText", textPath, "A header block needs a plain_text text object.");
                return;
            }

            if (!TryGetString(text, "type", out var kind) || kind != "plain_text")
            {
                findings.Add("HeaderNotPlainText", Path(textPath, "type"), "Header text must be \"type\": \"plain_text\"; mrkdwn is not allowed in a header.");
            }

            TryGetString(text, "text", out var value);
            if (value.Length == 0)
            {
                findings.Add("HeaderEmpty", Path(textPath, "text"), "Header text must not be empty.");
            }

            findings.MaxLength("HeaderTooLong", Path(textPath, "text"), value, MaxHeaderText, "Header text");
        }

        private static void CheckSection(JsonElement block, string path, Findings findings)
        {
            var hasText = TryGet(block, "text", JsonValueKind.Object, out var text);
            var hasFields = TryGet(block, "fields", JsonValueKind.Array, out var fields);
            if (!hasText && !hasFields)
            {
                findings.Add("SectionEmpty", path, "A section block needs text or fields.");
            }

            if (hasText)
            {
                var textPath = Path(Path(path, "text"), "text");
                TryGetString(text, "text", out var value);
                if (value.Length == 0)
                {
                    findings.Add("SectionTextEmpty", textPath, "Section text must be 1 to 3000 characters; it is empty.");
                }

                findings.MaxLength("SectionTextTooLong", textPath, value, MaxSectionText, "Section text");
            }

            if (hasFields)
            {
                var fieldsPath = Path(path, "fields");
                if (fields.GetArrayLength() > MaxSectionFields)
                {
                    findings.Add("TooManyFields", fieldsPath, $"The section has {fields.GetArrayLength()} fields; the limit is {MaxSectionFields}.");
                }

                var index = 0;
                foreach (var field in fields.EnumerateArray())
                {
                    var fieldPath = Path(Path(fieldsPath, index++), "text");
                    TryGetString(field, "text", out var value);
                    if (value.Length == 0)
                    {
                        findings.Add("FieldEmpty", fieldPath, "A section field must not be empty.");
                    }

                    findings.MaxLength("FieldTooLong", fieldPath, value, MaxFieldText, "A section field");
                }
            }

            if (TryGet(block, "accessory", JsonValueKind.Object, out var accessory))
            {
                CheckElement(accessory, Path(path, "accessory"), findings);
            }
        }

        private static void CheckElement(JsonElement element, string path, Findings findings)
        {
            if (!TryGetString(element, "type", out var type) || type != "button")
            {
                return;
            }

            var textPath = Path(path, "text");
            if (!TryGet(element, "text", JsonValueKind.Object, out var text) || !TryGetString(text, "type", out var kind) || kind != "plain_text")
            {
                findings.Add("ButtonTextNotPlainText", textPath, "Button text must be a plain_text object.");
            }
            else
            {
                TryGetString(text, "text", out var label);
                if (label.Length == 0)
                {
                    findings.Add("ButtonTextEmpty", Path(textPath, "text"), "Button text must not be empty.");
                }

                findings.MaxLength("ButtonTextTooLong", Path(textPath, "text"), label, MaxButtonText, "Button text");
            }

            if (TryGetString(element, "url", out var url))
            {
                findings.MaxLength("ButtonUrlTooLong", Path(path, "url"), url, MaxButtonUrl, "Button url");
            }

            if (TryGetString(element, "value", out var value))
            {
                findings.MaxLength("ButtonValueTooLong", Path(path, "value"), value, MaxButtonValue, "Button value");
            }

            if (TryGetString(element, "style", out var style) && style != "primary" && style != "danger")
            {
                findings.Add("InvalidButtonStyle", Path(path, "style"), $"Button style {Show(style)} is not valid; use \"primary\" or \"danger\", or leave it out.");
            }
        }
    }
}
