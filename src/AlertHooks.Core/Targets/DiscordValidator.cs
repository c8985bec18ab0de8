using System;
using System.Globalization;
using System.Text.Json;

namespace AlertHooks.Targets
{
    /// <summary>Discord execute-webhook: content and embed limits, the 6000-character total, ISO 8601 timestamps.</summary>
    public sealed class DiscordValidator : PayloadValidator
    {
        public const int MaxContent = 2000;
        public const int MaxEmbeds = 10;
        public const int MaxTitle = 256;
        public const int MaxDescription = 4096;
        public const int MaxFields = 25;
        public const int MaxFieldName = 256;
        public const int MaxFieldValue = 1024;
        public const int MaxFooterText = 2048;
        public const int MaxAuthorName = 256;
        public const int MaxEmbedsTotal = 6000;

        internal static readonly DiscordValidator Instance = new DiscordValidator();

        public override TargetKind Target => TargetKind.Discord;

        protected override void Check(string payload, JsonElement root, Findings findings)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                findings.Add("NotAnObject", "$", "A Discord webhook message is a JSON object.");
                return;
            }

            var hasContent = TryGetString(root, "content", out var content) && content.Trim().Length > 0;
            findings.MaxLength("ContentTooLong", "$.content", content, MaxContent, "content");

            var hasEmbeds = TryGet(root, "embeds", JsonValueKind.Array, out var embeds) && embeds.GetArrayLength() > 0;
            if (!hasContent && !hasEmbeds && !Has(root, "components") && !Has(root, "file") && !Has(root, "poll") && !Has(root, "attachments"))
            {
                findings.Add("EmptyMessage", "$", "The message has no content and no embeds; Discord answers 400 (50006 empty message).");
            }

            if (!Has(root, "allowed_mentions"))
            {
                findings.Warn("NoAllowedMentions", "$.allowed_mentions",
                    "Without \"allowed_mentions\": {\"parse\": []} a token containing @everyone or @here pings the whole channel.");
            }

            if (!hasEmbeds)
            {
                return;
            }

            if (embeds.GetArrayLength() > MaxEmbeds)
            {
                findings.Add("TooManyEmbeds", "$.embeds", $"The message has {embeds.GetArrayLength()} embeds; the limit is {MaxEmbeds}.");
            }

            var total = 0;
            var index = 0;
            foreach (var embed in embeds.EnumerateArray())
            {
                total += CheckEmbed(embed, Path("$.embeds", index++), findings);
            }

            if (total > MaxEmbedsTotal)
            {
                findings.Add("EmbedsTooLong", "$.embeds",
                    $"The embeds hold {total} characters together (titles, descriptions, field names and values, footers, authors); the limit is {MaxEmbedsTotal}.");
            }
        }

        /// <summary>Checks one embed and returns the characters it counts toward the 6000 total.</summary>
        private static int CheckEmbed(JsonElement embed, string path, Findings findings)
        {
            if (embed.ValueKind != JsonValueKind.Object)
            {
                findings.Add("InvalidEmbed", path, "An embed is a JSON object.");
                return 0;
            }

            var total = 0;
            if (TryGetString(embed, "title", out var title))
            {
                findings.MaxLength("TitleTooLong", Path(path, "title"), title, MaxTitle, "The embed title");
                total += Counted(title);
            }

            if (TryGetString(embed, "description", out var description))
            {
                findings.MaxLength("DescriptionTooLong", Path(path, "description"), description, MaxDescription, "The embed description");
                total += Counted(description);
            }

            if (TryGet(embed, "fields", JsonValueKind.Array, out var fields))
            {
                var fieldsPath = Path(path, "fields");
                if (fields.GetArrayLength() > MaxFields)
                {
                    findings.Add("TooManyFields", fieldsPath, $"The embed has {fields.GetArrayLength()} fields; the limit is {MaxFields}.");
                }

                var index = 0;
                foreach (var field in fields.EnumerateArray())
                {
                    var fieldPath = Path(fieldsPath, index++);
                    TryGetString(field, "name", out var name);
                    TryGetString(field, "value", out var value);
                    if (name.Trim().Length == 0)
                    {
                        findings.Add("FieldNameEmpty", Path(fieldPath, "name"), "An embed field needs a name.");
                    }

                    if (value.Trim().Length == 0)
                    {
                        findings.Add("FieldValueEmpty", Path(fieldPath, "value"), "An embed field needs a value; give the token a default, e.g. {{ token | default: '-' }}.");
                    }

                    findings.MaxLength("FieldNameTooLong", Path(fieldPath, "name"), name, MaxFieldName, "The field name");
                    findings.MaxLength("FieldValueTooLong", Path(fieldPath, "value"), value, MaxFieldValue, "The field value");
                    total += Counted(name) + Counted(value);
                }
            }

            if (TryGet(embed, "footer", JsonValueKind.Object, out var footer) && TryGetString(footer, "text", out var footerText))
            {
                findings.MaxLength("FooterTooLong", Path(Path(path, "footer"), "text"), footerText, MaxFooterText, "The footer text");
                total += Counted(footerText);
            }

            if (TryGet(embed, "author", JsonValueKind.Object, out var author) && TryGetString(author, "name", out var authorName))
            {
                findings.MaxLength("AuthorNameTooLong", Path(Path(path, "author"), "name"), authorName, MaxAuthorName, "The author name");
                total += Counted(authorName);
            }

            if (embed.TryGetProperty("timestamp", out var timestamp) && timestamp.ValueKind != JsonValueKind.Null)
            {
                var text = timestamp.ValueKind == JsonValueKind.String ? timestamp.GetString() ?? string.Empty : timestamp.GetRawText();
                if (!IsIso8601(text))
                {
                    findings.Add("InvalidTimestamp", Path(path, "timestamp"),
                        $"The timestamp {Show(text)} is not ISO 8601; Discord refuses a human-readable date. Format it with the date filter, "
                        + "e.g. {{ start_time | date: '%Y-%m-%dT%H:%M:%SZ' }}, or with {{ start_time | iso8601 }}.");
                }
            }

            if (embed.TryGetProperty("color", out var color) && color.ValueKind != JsonValueKind.Null
                && !(color.ValueKind == JsonValueKind.Number && color.TryGetInt32(out var rgb) && rgb >= 0 && rgb <= 0xFFFFFF))
            {
                findings.Add("InvalidColor", Path(path, "color"), "The embed color is an integer from 0 to 16777215 (0xFFFFFF), not a string such as \"#ff0000\".");
            }

            return total;
        }

        // Discord trims whitespace before counting toward the 6000 total.
        private static int Counted(string text) => Length(text.Trim());

        /// <summary>ISO 8601 date and time as Discord takes it: <c>2026-01-08T10:00:00Z</c>, offsets and fractions allowed.</summary>
        internal static bool IsIso8601(string text)
        {
            if (text.Length < 10 || text[4] != '-' || text[7] != '-')
            {
                return false;
            }

            string[] formats =
            {
                "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
                "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:sszzz",
                "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
            };
            return DateTimeOffset.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);
        }
    }
}
