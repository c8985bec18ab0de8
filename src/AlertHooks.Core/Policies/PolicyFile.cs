using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlertHooks.Storage;

namespace AlertHooks.Policies
{
    /// <summary>A policy read from a file, with what the file said beyond the policy itself.</summary>
    public sealed class PolicyDocument
    {
        internal PolicyDocument(AlertPolicy policy, string path, bool hasId, IReadOnlyList<TemplateDiagnostic> warnings)
        {
            Policy = policy;
            Path = path;
            HasId = hasId;
            Warnings = warnings;
        }

        public AlertPolicy Policy { get; }
        public string Path { get; }

        /// <summary>False when the file gave no id and one was derived from the name.</summary>
        public bool HasId { get; }

        public IReadOnlyList<TemplateDiagnostic> Warnings { get; }
    }

    /// <summary>A literal secret that an export replaced with an environment reference.</summary>
    public sealed class SecretPlaceholder
    {
        internal SecretPlaceholder(string variable, string what)
        {
            Variable = variable;
            What = what;
        }

        /// <summary>The environment variable to set, such as <c>ALERTHOOKS_OPS_URL_SECRET</c>.</summary>
        public string Variable { get; }

        /// <summary>What the variable must hold, in words (never the value).</summary>
        public string What { get; }
    }

    /// <summary>
    /// The JSON form of a policy: the store's files and exported files. Keys are written in one fixed order, indented,
    /// LF, UTF-8 without BOM and with a final newline, so that a file diffs well in version control.
    /// </summary>
    public static class PolicyFile
    {
        /// <summary>The schema this version writes, and the newest it reads.</summary>
        public const int SchemaVersion = 1;

        /// <summary>
        /// Migration hook: the step from schema N to N+1, applied in turn to an older file before it is read.
        /// Empty while there is only schema 1.
        /// </summary>
        internal static readonly Dictionary<int, Func<JsonObject, JsonObject>> Migrations = new Dictionary<int, Func<JsonObject, JsonObject>>();

        private static readonly string[] KnownKeys =
        {
            "schemaVersion", "name", "id", "description", "enabled", "eventTypes", "target", "url", "headers",
            "signingSecret", "match", "preset", "body", "created", "modified",
        };

        private static readonly JsonSerializerOptions WriteOptions = new JsonSerializerOptions
        {
            WriteIndented = true,
            NewLine = "\n",
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        private static readonly JsonSerializerOptions CompactOptions = new JsonSerializerOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        private static readonly JsonDocumentOptions ReadOptions = new JsonDocumentOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        };

        /// <summary>The store's form: every field, secrets as they are, the body text exactly, and the timestamps.</summary>
        public static string ToStoreJson(AlertPolicy policy)
        {
            var node = ToNode(policy, bodyAsJson: false);
            node["created"] = policy.Created.ToString("o", CultureInfo.InvariantCulture);
            node["modified"] = policy.Modified.ToString("o", CultureInfo.InvariantCulture);
            return node.ToJsonString(WriteOptions) + "\n";
        }

        /// <summary>
        /// The form for version control: a JSON body written as JSON (so a change shows as a changed line), no timestamps,
        /// and, unless <paramref name="includeSecrets"/>, every literal secret replaced by an <c>{{ env.… }}</c> reference.
        /// </summary>
        public static string ToExportJson(AlertPolicy policy, bool includeSecrets, out IReadOnlyList<SecretPlaceholder> placeholders)
        {
            var list = new List<SecretPlaceholder>();
            var exported = includeSecrets ? policy : ReplaceSecrets(policy, list);
            placeholders = list;
            return ToNode(exported, bodyAsJson: true).ToJsonString(WriteOptions) + "\n";
        }

        /// <summary>Reads and validates one file; every problem is a <see cref="PolicyFileException"/> naming it.</summary>
        public static PolicyDocument Read(string path)
        {
            string text;
            try
            {
                text = File.ReadAllText(path, StateFile.Utf8);
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                throw new PolicyFileException(path, "cannot be read: " + exception.Message, "PolicyFileUnreadable", exception);
            }

            return Parse(text, path);
        }

        public static PolicyDocument Parse(string text, string path)
        {
            JsonObject root;
            try
            {
                root = JsonNode.Parse(text, documentOptions: ReadOptions) as JsonObject
                    ?? throw new PolicyFileException(path, "does not hold a JSON object.");
            }
            catch (JsonException exception)
            {
                var where = exception.LineNumber.HasValue ? $" (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1})" : string.Empty;
                throw new PolicyFileException(path, "is not valid JSON" + where + ".", "PolicyFileInvalid", exception);
            }

            try
            {
                root = Migrate(root, path);
                var unknown = root.Select(p => p.Key).FirstOrDefault(k => !KnownKeys.Contains(k, StringComparer.Ordinal));
                if (unknown != null)
                {
                    throw new PolicyFileException(path, $"unknown key '{unknown}'. Known keys: {string.Join(", ", KnownKeys)}.");
                }

                var name = RequiredString(root, "name", path);
                var idText = OptionalString(root, "id", path);
                var eventTypes = ReadEventTypes(root, path);
                var url = RequiredString(root, "url", path);
                var body = ReadBody(root, path);
                var headers = ReadMap(root, "headers", path);
                var policy = new AlertPolicy(name, eventTypes, url, body, headers, idText ?? NameBasedId(name))
                {
                    Description = OptionalString(root, "description", path),
                    Enabled = ReadBool(root, "enabled", path) ?? true,
                    Preset = OptionalString(root, "preset", path),
                    SigningSecret = OptionalString(root, "signingSecret", path),
                };
                var target = OptionalString(root, "target", path);
                if (target != null && (url.IndexOf("{{", StringComparison.Ordinal) >= 0 || policy.Target == TargetKind.Generic))
                {
                    // A URL from the environment, a proxy or a loopback rehearsal cannot be recognised from its host:
                    // the file says what it is. A recognised host still wins, so editing the URL retargets the policy.
                    policy.Target = ParseEnum<TargetKind>(target, "target", path);
                }

                policy.SetMatch(ReadMap(root, "match", path));
                policy.Created = ReadTime(root, "created", path) ?? policy.Created;
                policy.Modified = ReadTime(root, "modified", path) ?? policy.Modified;
                var warnings = PolicyValidator.Validate(policy);
                return new PolicyDocument(policy, path, idText != null, warnings);
            }
            catch (PolicyFileException)
            {
                throw;
            }
            catch (TemplateException exception)
            {
                throw new PolicyFileException(path, "the body template is not valid: " + exception.Message, exception.Code, exception);
            }
            catch (Delivery.DeliveryValidationException exception)
            {
                throw new PolicyFileException(path, exception.Message, exception.Code, exception);
            }
            catch (PolicyValidationException exception)
            {
                throw new PolicyFileException(path, exception.Message, exception.Code, exception);
            }
            catch (ArgumentException exception)
            {
                throw new PolicyFileException(path, exception.Message, "PolicyFileInvalid", exception);
            }
        }

        /// <summary>Two bodies that are the same JSON (whitespace aside) are the same body; other text compares exactly.</summary>
        public static string CanonicalBody(string body)
        {
            try
            {
                var node = JsonNode.Parse(body, documentOptions: default);
                return node == null ? body : node.ToJsonString(CompactOptions);
            }
            catch (JsonException)
            {
                return body;
            }
        }

        /// <summary>A file name for a policy in an exported folder: its name with unsafe characters replaced.</summary>
        public static string FileNameFor(string policyName)
        {
            var builder = new StringBuilder();
            foreach (var c in policyName)
            {
                builder.Append(char.IsLetterOrDigit(c) || c == '-' || c == '_' || c == '.' ? c : '-');
            }

            return builder.ToString().Trim('.') + ".json";
        }

        /// <summary>The id of a hand-written policy without one: the same for the same name, in every clone of a repository.</summary>
        public static string NameBasedId(string name)
        {
            using (var sha = SHA256.Create())
            {
                var hash = sha.ComputeHash(Encoding.UTF8.GetBytes("alerthooks-policy:" + name.ToLowerInvariant()));
                var bytes = new byte[16];
                Array.Copy(hash, bytes, 16);
                bytes[7] = (byte)((bytes[7] & 0x0F) | 0x50); // a name-based (version 5 style) GUID
                bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
                return new Guid(bytes).ToString("D");
            }
        }

        /// <summary>The environment variable an export suggests for one secret of a policy.</summary>
        public static string PlaceholderVariable(string policyName, string what)
        {
            var name = UpperSnake(policyName);
            return "ALERTHOOKS_" + (name.Length == 0 ? "POLICY" : name) + "_" + what;
        }

        private static string UpperSnake(string text)
        {
            var builder = new StringBuilder();
            foreach (var c in text.ToUpperInvariant())
            {
                builder.Append(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ? c : '_');
            }

            return string.Join("_", builder.ToString().Split(new[] { '_' }, StringSplitOptions.RemoveEmptyEntries));
        }

        private static JsonObject ToNode(AlertPolicy policy, bool bodyAsJson)
        {
            var node = new JsonObject
            {
                ["schemaVersion"] = SchemaVersion,
                ["name"] = policy.Name,
                ["id"] = policy.Id,
            };
            if (!string.IsNullOrEmpty(policy.Description))
            {
                node["description"] = policy.Description;
            }

            node["enabled"] = policy.Enabled;
            node["eventTypes"] = new JsonArray(policy.EventTypes.Select(t => (JsonNode?)JsonValue.Create(t.ToString())).ToArray());
            node["target"] = policy.Target.ToString();
            node["url"] = policy.RawUrl;
            if (policy.RawHeaders.Count > 0)
            {
                node["headers"] = SortedMap(policy.RawHeaders);
            }

            if (!string.IsNullOrEmpty(policy.SigningSecret))
            {
                node["signingSecret"] = policy.SigningSecret;
            }

            if (policy.Match.Count > 0)
            {
                node["match"] = SortedMap(policy.Match);
            }

            if (!string.IsNullOrEmpty(policy.Preset))
            {
                node["preset"] = policy.Preset;
            }

            node["body"] = bodyAsJson ? BodyNode(policy.Body) : JsonValue.Create(policy.Body);
            return node;
        }

        private static JsonNode? BodyNode(string body)
        {
            try
            {
                var parsed = JsonNode.Parse(body);
                if (parsed is JsonObject || parsed is JsonArray)
                {
                    return parsed;
                }
            }
            catch (JsonException)
            {
                // A body with Liquid outside its strings is not JSON until rendered: it stays text.
            }

            return JsonValue.Create(body);
        }

        private static JsonObject SortedMap(IEnumerable<KeyValuePair<string, string>> pairs)
        {
            var map = new JsonObject();
            foreach (var pair in pairs.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                map[pair.Key] = pair.Value;
            }

            return map;
        }

        private static AlertPolicy ReplaceSecrets(AlertPolicy policy, List<SecretPlaceholder> placeholders)
        {
            var copy = policy.Clone();
            string Placeholder(string what, string description)
            {
                var variable = PlaceholderVariable(policy.Name, what);
                placeholders.Add(new SecretPlaceholder(variable, description));
                return "{{ env." + variable + " }}";
            }

            copy.SetUrl(ReplaceUrlSecret(policy.RawUrl, policy.Target, Placeholder));
            copy.Target = policy.Target;
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var header in policy.RawHeaders.OrderBy(h => h.Key, StringComparer.Ordinal))
            {
                headers[header.Key] = AlertPolicy.IsEnvironmentReference(header.Value)
                    ? header.Value
                    : Placeholder("HEADER_" + UpperSnake(header.Key), $"the value of header '{header.Key}'");
            }

            copy.SetHeaders(headers);
            if (!string.IsNullOrEmpty(policy.SigningSecret) && !AlertPolicy.IsEnvironmentReference(policy.SigningSecret!))
            {
                copy.SigningSecret = Placeholder("SIGNING_SECRET", "the signing secret (whsec_…)");
            }

            copy.Body = System.Text.RegularExpressions.Regex.Replace(policy.Body, "(\"routing_key\"\\s*:\\s*\")([^\"\\\\{]+)(\")",
                m => m.Groups[1].Value + Placeholder("ROUTING_KEY", "the PagerDuty routing_key") + m.Groups[3].Value);
            return copy;
        }

        /// <summary>
        /// Keeps what identifies the target in the file (host, fixed path) and moves the credential part to a variable;
        /// a URL that is already a reference, or has no secret part, stays as it is.
        /// </summary>
        private static string ReplaceUrlSecret(string url, TargetKind target, Func<string, string, string> placeholder)
        {
            if (url.IndexOf("{{", StringComparison.Ordinal) >= 0 || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                return url;
            }

            var secretPath = target == TargetKind.Slack || target == TargetKind.Discord || target == TargetKind.Teams;
            if (!secretPath && uri.Query.Length <= 1 && string.IsNullOrEmpty(uri.UserInfo))
            {
                return url;
            }

            var origin = uri.Scheme + "://" + uri.Authority.Substring(uri.UserInfo.Length == 0 ? 0 : uri.UserInfo.Length + 1);
            var prefix = target == TargetKind.Slack ? "/services/" : target == TargetKind.Discord ? "/api/webhooks/" : null;
            if (prefix != null && uri.AbsolutePath.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && string.IsNullOrEmpty(uri.UserInfo))
            {
                return origin + uri.AbsolutePath.Substring(0, prefix.Length)
                    + placeholder("URL_SECRET", $"the rest of the {target} webhook URL after {origin}{prefix}");
            }

            return placeholder("URL", $"the whole {target} webhook URL");
        }

        /// <summary>Brings a file's content up to <paramref name="target"/> (the current schema unless a test says otherwise).</summary>
        internal static JsonObject Migrate(JsonObject root, string path, int target = SchemaVersion)
        {
            var version = 1;
            if (root.TryGetPropertyValue("schemaVersion", out var node) && node != null)
            {
                if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue<int>(out version) || version < 1)
                {
                    throw new PolicyFileException(path, "'schemaVersion' must be a whole number from 1.");
                }
            }

            if (version > target)
            {
                throw new PolicyFileException(path, $"was written with schema version {version}; this AlertHooks reads up to version {target}. Update the module.", "PolicySchemaTooNew");
            }

            while (version < target)
            {
                if (!Migrations.TryGetValue(version, out var step))
                {
                    throw new PolicyFileException(path, $"schema version {version} cannot be migrated.", "PolicySchemaUnsupported");
                }

                root = step(root);
                version++;
                root["schemaVersion"] = version;
            }

            return root;
        }

        private static string RequiredString(JsonObject root, string key, string path) =>
            OptionalString(root, key, path) ?? throw new PolicyFileException(path, $"'{key}' is missing.");

        private static string? OptionalString(JsonObject root, string key, string path)
        {
            if (!root.TryGetPropertyValue(key, out var node) || node == null)
            {
                return null;
            }

            if (node.GetValueKind() != JsonValueKind.String)
            {
                throw new PolicyFileException(path, $"'{key}' must be a string.");
            }

            return node.GetValue<string>();
        }

        private static bool? ReadBool(JsonObject root, string key, string path)
        {
            if (!root.TryGetPropertyValue(key, out var node) || node == null)
            {
                return null;
            }

            var kind = node.GetValueKind();
            if (kind != JsonValueKind.True && kind != JsonValueKind.False)
            {
                throw new PolicyFileException(path, $"'{key}' must be true or false.");
            }

            return kind == JsonValueKind.True;
        }

        private static DateTimeOffset? ReadTime(JsonObject root, string key, string path)
        {
            var text = OptionalString(root, key, path);
            if (text == null)
            {
                return null;
            }

            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time))
            {
                throw new PolicyFileException(path, $"'{key}' is not a date and time.");
            }

            return time;
        }

        private static List<AlertEventType> ReadEventTypes(JsonObject root, string path)
        {
            if (!root.TryGetPropertyValue("eventTypes", out var node) || !(node is JsonArray array) || array.Count == 0)
            {
                throw new PolicyFileException(path, "'eventTypes' must be a non-empty array of event type names.");
            }

            return array.Select(item =>
            {
                if (item == null || item.GetValueKind() != JsonValueKind.String)
                {
                    throw new PolicyFileException(path, "'eventTypes' must hold strings.");
                }

                return ParseEnum<AlertEventType>(item.GetValue<string>(), "eventTypes", path);
            }).ToList();
        }

        private static T ParseEnum<T>(string text, string key, string path)
            where T : struct
        {
            if (!Enum.TryParse<T>(text, ignoreCase: true, out var value) || !Enum.IsDefined(typeof(T), value) || int.TryParse(text, out _))
            {
                throw new PolicyFileException(path, $"'{key}': '{text}' is not one of {string.Join(", ", Enum.GetNames(typeof(T)))}.");
            }

            return value;
        }

        private static Dictionary<string, string> ReadMap(JsonObject root, string key, string path)
        {
            var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (!root.TryGetPropertyValue(key, out var node) || node == null)
            {
                return map;
            }

            if (!(node is JsonObject obj))
            {
                throw new PolicyFileException(path, $"'{key}' must be an object of names to strings.");
            }

            foreach (var pair in obj)
            {
                if (pair.Value == null || pair.Value.GetValueKind() != JsonValueKind.String)
                {
                    throw new PolicyFileException(path, $"'{key}.{pair.Key}' must be a string.");
                }

                map[pair.Key] = pair.Value.GetValue<string>();
            }

            return map;
        }

        private static string ReadBody(JsonObject root, string path)
        {
            if (!root.TryGetPropertyValue("body", out var node) || node == null)
            {
                throw new PolicyFileException(path, "'body' is missing.");
            }

            switch (node.GetValueKind())
            {
                case JsonValueKind.String:
                    return node.GetValue<string>();
                case JsonValueKind.Object:
                case JsonValueKind.Array:
                    return node.ToJsonString(WriteOptions);
                default:
                    throw new PolicyFileException(path, "'body' must be a template string or a JSON object.");
            }
        }
    }
}
