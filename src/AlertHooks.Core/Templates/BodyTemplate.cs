using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using Fluid;

namespace AlertHooks.Templates
{
    /// <summary>
    /// A body template parsed once. A template that is valid JSON before rendering (every platform body is)
    /// is split into raw JSON and Liquid string leaves, so whatever a token holds the output keeps exactly
    /// the structure the template wrote. Any other template renders as a whole with JSON-escaped output
    /// and is checked afterwards.
    /// </summary>
    public sealed class BodyTemplate
    {
        private readonly List<Segment> _segments = new List<Segment>();
        private readonly List<TemplateDiagnostic> _syntaxErrors = new List<TemplateDiagnostic>();
        private readonly List<LocatedReference> _references = new List<LocatedReference>();

        internal BodyTemplate(string source)
        {
            Source = source;
            IsJsonShaped = TrySplitJson(source);
            if (!IsJsonShaped)
            {
                _segments.Clear();
                _references.Clear();
                _syntaxErrors.Clear();
                AddLiquid(source, 0, quoted: false, exactPositions: true);
            }
        }

        public string Source { get; }

        /// <summary>True when the template is itself valid JSON and only string leaves hold Liquid.</summary>
        public bool IsJsonShaped { get; }

        public IReadOnlyList<TemplateDiagnostic> SyntaxErrors => _syntaxErrors;

        internal IReadOnlyList<Segment> Segments => _segments;

        internal IReadOnlyList<LocatedReference> References => _references;

        private HashSet<string>? _roots;

        private readonly Dictionary<string, Leaf> _leaves = new Dictionary<string, Leaf>(StringComparer.Ordinal);

        /// <summary>The Liquid string leaves of a JSON-shaped template by JSON path (<c>$.embeds[0].timestamp</c>).</summary>
        internal IReadOnlyDictionary<string, Leaf> Leaves => _leaves;

        /// <summary>The variables the template reads: a render only has to provide these.</summary>
        internal HashSet<string> Roots =>
            _roots ??= new HashSet<string>(_references.Select(r => r.Name), StringComparer.Ordinal);

        // What Analyze found, per event type: the template never changes, so it is worked out once.
        private readonly IReadOnlyList<TemplateDiagnostic>?[] _analysis =
            new IReadOnlyList<TemplateDiagnostic>?[Enum.GetValues(typeof(AlertEventType)).Length];

        internal IReadOnlyList<TemplateDiagnostic> Analysis(AlertEventType eventType, Func<BodyTemplate, AlertEventType, IReadOnlyList<TemplateDiagnostic>> analyze)
        {
            var index = (int)eventType;
            if (index < 0 || index >= _analysis.Length)
            {
                return analyze(this, eventType);
            }

            return _analysis[index] ??= analyze(this, eventType);
        }

        private bool TrySplitJson(string source)
        {
            var bytes = Encoding.UTF8.GetBytes(source);
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            var literalStart = 0;
            var path = new JsonPathTracker();
            try
            {
                while (reader.Read())
                {
                    var isText = reader.TokenType == JsonTokenType.String || reader.TokenType == JsonTokenType.PropertyName;
                    var value = isText ? reader.GetString() ?? string.Empty : string.Empty;
                    path.Read(reader.TokenType, value);
                    if (!isText)
                    {
                        continue;
                    }

                    if (value.IndexOf("{{", StringComparison.Ordinal) < 0 && value.IndexOf("{%", StringComparison.Ordinal) < 0)
                    {
                        continue;
                    }

                    var start = (int)reader.TokenStartIndex;
                    var end = start + reader.ValueSpan.Length + 2;
                    if (start > literalStart)
                    {
                        _segments.Add(Segment.Literal(Encoding.UTF8.GetString(bytes, literalStart, start - literalStart)));
                    }

                    var quotedPrefix = Encoding.UTF8.GetString(bytes, 0, start + 1);
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        var (line, column) = Position(source, quotedPrefix.Length);
                        _leaves[path.Current] = new Leaf(value, line, column);
                    }

                    AddLiquid(value, quotedPrefix.Length, quoted: true, exactPositions: !reader.ValueIsEscaped);
                    literalStart = end;
                }
            }
            catch (JsonException)
            {
                return false;
            }

            if (literalStart < bytes.Length)
            {
                _segments.Add(Segment.Literal(Encoding.UTF8.GetString(bytes, literalStart, bytes.Length - literalStart)));
            }

            return true;
        }

        /// <summary>Parses one Liquid source that starts at <paramref name="sourceOffset"/> of the template.</summary>
        private void AddLiquid(string liquid, int sourceOffset, bool quoted, bool exactPositions)
        {
            var positionBase = sourceOffset;
            var plain = PlainTemplate.TryCreate(liquid);
            if (plain != null)
            {
                // Plain text with plain outputs cannot have a syntax error: Fluid parses it only if ever asked to.
                _segments.Add(Segment.Liquid(new LiquidLeaf(liquid, plain), quoted));
            }
            else if (TemplateEngine.Parser.TryParse(liquid, out var template, out var error))
            {
                _segments.Add(Segment.Liquid(new LiquidLeaf(liquid, template), quoted));
            }
            else
            {
                var (line, column) = LiquidErrorPosition(error, liquid, positionBase);
                _syntaxErrors.Add(new TemplateDiagnostic(
                    DiagnosticSeverity.Error,
                    DiagnosticCodes.LiquidSyntax,
                    "Liquid syntax error: " + StripPosition(error),
                    line,
                    column));
            }

            foreach (var reference in TokenScanner.Scan(liquid))
            {
                // Escapes inside a JSON string shift positions; the start of the string is still the right place to look.
                var offset = exactPositions ? positionBase + reference.Offset : positionBase;
                var (line, column) = Position(Source, offset);
                _references.Add(new LocatedReference(reference, line, column));
            }
        }

        private (int Line, int Column) LiquidErrorPosition(string error, string liquid, int positionBase)
        {
            // Fluid reports "... at (line:column)"; map it into the template.
            var open = error.LastIndexOf('(');
            var colon = open >= 0 ? error.IndexOf(':', open) : -1;
            var close = colon >= 0 ? error.IndexOf(')', colon) : -1;
            if (open >= 0 && colon > open && close > colon
                && int.TryParse(error.Substring(open + 1, colon - open - 1), out var line)
                && int.TryParse(error.Substring(colon + 1, close - colon - 1), out var column))
            {
                var offset = OffsetOf(liquid, line, column);
                return Position(Source, Math.Min(Source.Length, positionBase + offset));
            }

            return Position(Source, positionBase);
        }

        private static string StripPosition(string error)
        {
            var open = error.LastIndexOf(" at (", StringComparison.Ordinal);
            return open > 0 ? error.Substring(0, open) : error;
        }

        private static int OffsetOf(string text, int line, int column)
        {
            var offset = 0;
            for (var current = 1; current < line && offset < text.Length; offset++)
            {
                if (text[offset] == '\n')
                {
                    current++;
                }
            }

            return Math.Min(text.Length, offset + Math.Max(0, column - 1));
        }

        internal static (int Line, int Column) Position(string text, int offset)
        {
            var line = 1;
            var lineStart = 0;
            for (var i = 0; i < offset && i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    line++;
                    lineStart = i + 1;
                }
            }

            return (line, offset - lineStart + 1);
        }

        internal readonly struct Segment
        {
            private Segment(string? text, LiquidLeaf? template, bool quoted)
            {
                Text = text;
                Template = template;
                Quoted = quoted;
            }

            public string? Text { get; }
            public LiquidLeaf? Template { get; }

            /// <summary>True for a JSON string leaf: its output is written as one JSON string.</summary>
            public bool Quoted { get; }

            public static Segment Literal(string text) => new Segment(text, null, false);

            public static Segment Liquid(LiquidLeaf template, bool quoted) => new Segment(null, template, quoted);
        }

        /// <summary>One Liquid source of the template: its plain form when it has one, Fluid's parse when it needs it.</summary>
        internal sealed class LiquidLeaf
        {
            private readonly string _source;
            private IFluidTemplate? _fluid;

            public LiquidLeaf(string source, PlainTemplate plain)
            {
                _source = source;
                Plain = plain;
            }

            public LiquidLeaf(string source, IFluidTemplate fluid)
            {
                _source = source;
                _fluid = fluid;
            }

            public PlainTemplate? Plain { get; }

            public IFluidTemplate Fluid => _fluid ??= TemplateEngine.Parser.Parse(_source);
        }

        /// <summary>A JSON string of the template that holds Liquid, and where its text starts.</summary>
        internal readonly struct Leaf
        {
            public Leaf(string text, int line, int column)
            {
                Text = text;
                Line = line;
                Column = column;
            }

            public string Text { get; }
            public int Line { get; }
            public int Column { get; }
        }

        /// <summary>Follows a JSON reader to know the path of the current value.</summary>
        private sealed class JsonPathTracker
        {
            private readonly List<(bool IsArray, int Index, string? Name)> _frames = new List<(bool, int, string?)>();

            /// <summary>Built only when asked: most values of a template hold no Liquid.</summary>
            public string Current => Build();

            public void Read(JsonTokenType token, string? propertyName)
            {
                switch (token)
                {
                    case JsonTokenType.PropertyName:
                        _frames[_frames.Count - 1] = (false, -1, propertyName);
                        return;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        NextValue();
                        _frames.Add((token == JsonTokenType.StartArray, -1, null));
                        return;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        _frames.RemoveAt(_frames.Count - 1);
                        return;
                    default:
                        NextValue();
                        return;
                }
            }

            private void NextValue()
            {
                if (_frames.Count > 0 && _frames[_frames.Count - 1].IsArray)
                {
                    var top = _frames[_frames.Count - 1];
                    _frames[_frames.Count - 1] = (true, top.Index + 1, null);
                }
            }

            private string Build()
            {
                var path = "$";
                foreach (var frame in _frames)
                {
                    if (frame.IsArray)
                    {
                        path = frame.Index >= 0 ? Targets.PayloadValidator.Path(path, frame.Index) : path;
                    }
                    else if (frame.Name != null)
                    {
                        path = Targets.PayloadValidator.Path(path, frame.Name);
                    }
                }

                return path;
            }
        }

        internal readonly struct LocatedReference
        {
            public LocatedReference(TokenReference reference, int line, int column)
            {
                Name = reference.Name;
                Member = reference.Member;
                Line = line;
                Column = column;
            }

            public string Name { get; }
            public string? Member { get; }
            public int Line { get; }
            public int Column { get; }
        }
    }
}
