#Requires -Version 7.4
<#
.SYNOPSIS
    Builds AlertHooks' help: module/help/<Verb-Noun>.md to MAML, about_*.md to about_*.help.txt, and
    about_AlertHooks_Tokens from the token catalog of the built assembly.
.DESCRIPTION
    Run by build.ps1 -Task Build in a child process, after the module is laid out under ./bin, because it imports the
    built module: syntax, parameter types, positions, mandatory flags, pipeline input, aliases and defaults come from the
    compiled cmdlets, so the markdown only says what things mean and cannot contradict the code.
    The markdown format is described in module/help/README.md.

    A cmdlet without a help file is reported as a warning, not an error: tests/Pester/Help.Tests.ps1 fails for it.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ManifestPath,
    [Parameter(Mandatory)] [string] $SourcePath,
    [Parameter(Mandatory)] [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$NoCommonParameters = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
$StandardDescriptions = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}

#region Markdown

# Splits markdown into headed blocks of one level, ignoring headings inside fenced code.
function Split-Heading {
    param([string[]] $Lines, [int] $Level)
    $prefix = ('#' * $Level) + ' '
    $blocks = [System.Collections.Generic.List[object]]::new()
    $current = $null
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^\s*```') { $inFence = -not $inFence }
        if (-not $inFence -and $line.StartsWith($prefix)) {
            $current = [pscustomobject]@{ Title = $line.Substring($prefix.Length).Trim(); Lines = [System.Collections.Generic.List[string]]::new() }
            $blocks.Add($current)
        }
        elseif ($null -ne $current) {
            $current.Lines.Add($line)
        }
    }
    , $blocks
}

# Paragraphs of a block: prose lines are joined, lists/tables keep their lines, fenced code is one verbatim block.
function Get-Paragraph {
    param([string[]] $Lines)
    $paragraphs = [System.Collections.Generic.List[object]]::new()
    $buffer = [System.Collections.Generic.List[string]]::new()
    $code = $null
    $flush = {
        if ($buffer.Count -gt 0) {
            $structured = @($buffer | Where-Object { $_ -match '^\s*([-*]\s|\d+\.\s|\|)' }).Count -gt 0
            $text = if ($structured) {
                # One line per list item or table row: wrapped continuation lines join the item they continue.
                $items = [System.Collections.Generic.List[string]]::new()
                foreach ($line in $buffer) {
                    if ($items.Count -gt 0 -and $line -notmatch '^\s*([-*]\s|\d+\.\s|\|)') { $items[$items.Count - 1] += ' ' + $line.Trim() }
                    else { $items.Add($line) }
                }
                $items -join "`n"
            }
            else { ($buffer | ForEach-Object Trim) -join ' ' }
            $paragraphs.Add([pscustomobject]@{ Kind = if ($structured) { 'Structured' } else { 'Prose' }; Text = $text })
            $buffer.Clear()
        }
    }
    foreach ($line in $Lines) {
        if ($line -match '^\s*```') {
            if ($null -eq $code) {
                & $flush
                $code = [System.Collections.Generic.List[string]]::new()
            }
            else {
                $paragraphs.Add([pscustomobject]@{ Kind = 'Code'; Text = $code -join "`n" })
                $code = $null
            }
            continue
        }
        if ($null -ne $code) { $code.Add($line); continue }
        if ([string]::IsNullOrWhiteSpace($line)) { & $flush; continue }
        $buffer.Add($line.TrimEnd())
    }
    & $flush
    , $paragraphs
}

function ConvertTo-PlainText([string] $Text) {
    # Help is read in a terminal: drop markdown emphasis and link targets, keep the words.
    $Text = [regex]::Replace($Text, '\[([^\]]+)\]\([^)]+\)', '$1')
    $Text = [regex]::Replace($Text, '(\*\*|__)(.+?)\1', '$2')
    $Text -replace '`([^`]+)`', '$1'
}

function Read-CommandHelp([string] $Path) {
    $lines = (Get-Content -Raw -LiteralPath $Path) -split '\r?\n'
    $sections = @{}
    foreach ($section in (Split-Heading $lines 2)) {
        $sections[$section.Title.ToUpperInvariant()] = $section.Lines.ToArray()
    }
    $section = { param($name) if ($sections.ContainsKey($name)) { $sections[$name] } else { @() } }

    $examples = foreach ($example in (Split-Heading (& $section 'EXAMPLES') 3)) {
        $paragraphs = Get-Paragraph $example.Lines
        $codeBlocks = @($paragraphs | Where-Object Kind -EQ 'Code')
        [pscustomobject]@{
            Title   = $example.Title
            Code    = ($codeBlocks | ForEach-Object Text) -join "`n`n"
            Remarks = @($paragraphs | Where-Object Kind -NE 'Code')
        }
    }
    $parameters = @{}
    foreach ($parameter in (Split-Heading (& $section 'PARAMETERS') 3)) {
        $parameters[$parameter.Title.TrimStart('-')] = Get-Paragraph $parameter.Lines
    }
    $typed = {
        param($name)
        foreach ($item in (Split-Heading (& $section $name) 3)) {
            [pscustomobject]@{ Type = $item.Title; Paragraphs = Get-Paragraph $item.Lines }
        }
    }
    [pscustomobject]@{
        Synopsis     = Get-Paragraph (& $section 'SYNOPSIS')
        Description  = Get-Paragraph (& $section 'DESCRIPTION')
        Examples     = @($examples)
        Parameters   = $parameters
        Inputs       = @(& $typed 'INPUTS')
        Outputs      = @(& $typed 'OUTPUTS')
        Notes        = Get-Paragraph (& $section 'NOTES')
        RelatedLinks = @((& $section 'RELATED LINKS') | Where-Object { $_ -match '\S' } | ForEach-Object { ConvertTo-PlainText ($_ -replace '^\s*[-*]\s*', '') })
    }
}

#endregion

#region MAML

$ns = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}

function Write-Para([System.Xml.XmlWriter] $Writer, $Paragraphs) {
    $any = $false
    foreach ($paragraph in $Paragraphs) {
        $text = if ($paragraph.Kind -eq 'Code') { $paragraph.Text } else { ConvertTo-PlainText $paragraph.Text }
        $Writer.WriteElementString('maml', 'para', $ns.maml, $text)
        $any = $true
    }
    if (-not $any) { $Writer.WriteElementString('maml', 'para', $ns.maml, '') }
}

function Write-Description([System.Xml.XmlWriter] $Writer, $Paragraphs) {
    $Writer.WriteStartElement('maml', 'description', $ns.maml)
    Write-Para $Writer $Paragraphs
    $Writer.WriteEndElement()
}

function Get-TypeName([type] $Type) {
    if ($Type.IsGenericType -and $Type.GetGenericTypeDefinition() -eq [Nullable`1]) { $Type = $Type.GetGenericArguments()[0] }
    $Type.FullName
}

function Get-ParameterFacts($Command, $Parameter, [string] $SetName) {
    $sets = @($Parameter.ParameterSets.Values)
    if ($SetName) {
        $key = if ($Parameter.ParameterSets.ContainsKey($SetName)) { $SetName } else { '__AllParameterSets' }
        $sets = @($Parameter.ParameterSets[$key])
    }
    $byValue = @($sets | Where-Object ValueFromPipeline).Count -gt 0
    $byName = @($sets | Where-Object ValueFromPipelineByPropertyName).Count -gt 0
    $pipeline = switch ($true) {
        { $byValue -and $byName } { 'True (ByValue, ByPropertyName)'; break }
        { $byValue } { 'True (ByValue)'; break }
        { $byName } { 'True (ByPropertyName)'; break }
        default { 'False' }
    }
    $positions = @($sets | Where-Object { $_.Position -ge 0 } | ForEach-Object Position | Sort-Object -Unique)
    [pscustomobject]@{
        Required = (@($sets | Where-Object { -not $_.IsMandatory }).Count -eq 0)
        Position = if ($positions.Count -gt 0) { [string]$positions[0] } else { 'named' }
        Pipeline = $pipeline
    }
}

function Write-Parameter([System.Xml.XmlWriter] $Writer, $Command, $Parameter, $Help, [string] $SetName, $Defaults) {
    $facts = Get-ParameterFacts $Command $Parameter $SetName
    $type = $Parameter.ParameterType
    $Writer.WriteStartElement('command', 'parameter', $ns.command)
    $Writer.WriteAttributeString('required', $facts.Required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', $type.IsArray.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', 'false')
    $Writer.WriteAttributeString('pipelineInput', $facts.Pipeline)
    $Writer.WriteAttributeString('position', $facts.Position)
    $Writer.WriteAttributeString('aliases', $(if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $ns.maml, $Parameter.Name)
    $text = if ($Help.Parameters.ContainsKey($Parameter.Name)) { $Help.Parameters[$Parameter.Name] }
    elseif ($StandardDescriptions.ContainsKey($Parameter.Name)) { , @([pscustomobject]@{ Kind = 'Prose'; Text = $StandardDescriptions[$Parameter.Name] }) }
    else { @() }
    Write-Description $Writer $text

    $elementType = if ($type.IsArray) { $type.GetElementType() } else { $type }
    if ($elementType.IsGenericType -and $elementType.GetGenericTypeDefinition() -eq [Nullable`1]) { $elementType = $elementType.GetGenericArguments()[0] }
    if ($elementType.IsEnum) {
        $Writer.WriteStartElement('command', 'parameterValueGroup', $ns.command)
        foreach ($value in [Enum]::GetNames($elementType)) {
            $Writer.WriteStartElement('command', 'parameterValue', $ns.command)
            $Writer.WriteAttributeString('required', 'false')
            $Writer.WriteAttributeString('command', 'variableLength', $ns.command, 'false')
            $Writer.WriteString($value)
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }
    if ($type -ne [switch]) {
        $Writer.WriteStartElement('command', 'parameterValue', $ns.command)
        $Writer.WriteAttributeString('required', 'true')
        $Writer.WriteAttributeString('variableLength', $type.IsArray.ToString().ToLowerInvariant())
        $Writer.WriteString($(if ($type.IsArray) { $elementType.Name + '[]' } else { $elementType.Name }))
        $Writer.WriteEndElement()
    }
    $Writer.WriteStartElement('dev', 'type', $ns.dev)
    $Writer.WriteElementString('maml', 'name', $ns.maml, (Get-TypeName $type))
    $Writer.WriteElementString('maml', 'uri', $ns.maml, '')
    $Writer.WriteEndElement()
    $default = if ($Defaults.ContainsKey($Parameter.Name)) { $Defaults[$Parameter.Name] } elseif ($type -eq [switch]) { 'False' } else { 'None' }
    $Writer.WriteElementString('dev', 'defaultValue', $ns.dev, $default)
    $Writer.WriteEndElement()
}

# Defaults are read from a fresh instance of the cmdlet class, so that the help shows what the code does.
function Get-ParameterDefault($Command) {
    $defaults = @{}
    try { $instance = [Activator]::CreateInstance($Command.ImplementingType) } catch { return $defaults }
    foreach ($parameter in $Command.Parameters.Values) {
        $property = $Command.ImplementingType.GetProperty($parameter.Name)
        if ($null -eq $property -or $parameter.ParameterType -eq [switch]) { continue }
        $value = $property.GetValue($instance)
        if ($null -eq $value -or ($value -is [string] -and $value -eq '') -or ($value -is [array] -and $value.Count -eq 0)) { continue }
        if ($value -is [ValueType] -and $value -eq [Activator]::CreateInstance($value.GetType()) -and -not $value.GetType().IsEnum) { continue }
        $defaults[$parameter.Name] = [string]$value
    }
    $defaults
}

# Inputs and outputs: a list of types, each with what it means.
function Write-TypeList([System.Xml.XmlWriter] $Writer, [string] $ListElement, [string] $ItemElement, $Items) {
    $Writer.WriteStartElement('command', $ListElement, $ns.command)
    foreach ($item in $Items) {
        $Writer.WriteStartElement('command', $ItemElement, $ns.command)
        $Writer.WriteStartElement('dev', 'type', $ns.dev)
        $Writer.WriteElementString('maml', 'name', $ns.maml, $item.Type)
        $Writer.WriteEndElement()
        Write-Description $Writer $item.Paragraphs
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

function Write-CommandHelp([System.Xml.XmlWriter] $Writer, $Command, $Help) {
    $Writer.WriteStartElement('command', 'command', $ns.command)
    $Writer.WriteStartElement('command', 'details', $ns.command)
    $Writer.WriteElementString('command', 'name', $ns.command, $Command.Name)
    $Writer.WriteElementString('command', 'verb', $ns.command, $Command.Verb)
    $Writer.WriteElementString('command', 'noun', $ns.command, $Command.Noun)
    Write-Description $Writer $Help.Synopsis
    $Writer.WriteEndElement()
    Write-Description $Writer $Help.Description

    $parameters = @($Command.Parameters.Values | Where-Object { $_.Name -notin [System.Management.Automation.Cmdlet]::CommonParameters })
    $defaults = Get-ParameterDefault $Command
    $Writer.WriteStartElement('command', 'syntax', $ns.command)
    foreach ($set in ($Command.ParameterSets | Sort-Object { -not $_.IsDefault }, Name)) {
        $Writer.WriteStartElement('command', 'syntaxItem', $ns.command)
        $Writer.WriteElementString('maml', 'name', $ns.maml, $Command.Name)
        $inSet = $set.Parameters | Where-Object { $_.Name -notin [System.Management.Automation.Cmdlet]::CommonParameters } |
            Sort-Object { if ($_.Position -ge 0) { $_.Position } else { [int]::MaxValue } }, { -not $_.IsMandatory }, { $_.Name -in 'WhatIf', 'Confirm' }, Name
        foreach ($member in $inSet) {
            $parameter = $Command.Parameters[$member.Name]
            Write-Parameter $Writer $Command $parameter $Help $set.Name $defaults
        }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'parameters', $ns.command)
    foreach ($parameter in ($parameters | Sort-Object Name)) {
        Write-Parameter $Writer $Command $parameter $Help $null $defaults
    }
    $Writer.WriteEndElement()

    $inputs = if ($Help.Inputs.Count) { $Help.Inputs } else { Get-InputType $Command $parameters }
    Write-TypeList $Writer 'inputTypes' 'inputType' $inputs

    $outputs = [System.Collections.Generic.List[object]]::new()
    foreach ($output in $Help.Outputs) { $outputs.Add($output) }
    foreach ($declared in $Command.OutputType) {
        if (-not ($outputs | Where-Object Type -EQ $declared.Name)) {
            $outputs.Add([pscustomobject]@{ Type = $declared.Name; Paragraphs = @() })
        }
    }
    Write-TypeList $Writer 'returnValues' 'returnValue' $outputs

    $Writer.WriteStartElement('maml', 'alertSet', $ns.maml)
    $Writer.WriteStartElement('maml', 'alert', $ns.maml)
    Write-Para $Writer $Help.Notes
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'examples', $ns.command)
    foreach ($example in $Help.Examples) {
        $Writer.WriteStartElement('command', 'example', $ns.command)
        $Writer.WriteElementString('maml', 'title', $ns.maml, "---------- $($example.Title) ----------")
        $Writer.WriteElementString('dev', 'code', $ns.dev, $example.Code)
        $Writer.WriteStartElement('dev', 'remarks', $ns.dev)
        Write-Para $Writer $example.Remarks
        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'relatedLinks', $ns.command)
    foreach ($link in @($Help.RelatedLinks) + 'about_AlertHooks' | Select-Object -Unique) {
        $Writer.WriteStartElement('maml', 'navigationLink', $ns.maml)
        $Writer.WriteElementString('maml', 'linkText', $ns.maml, $link)
        $Writer.WriteElementString('maml', 'uri', $ns.maml, '')
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()
}

# Without an INPUTS section the inputs are what the pipeline binds: by value, then by property name.
function Get-InputType($Command, $Parameters) {
    $byValue = foreach ($parameter in $Parameters) {
        if (@($parameter.ParameterSets.Values | Where-Object ValueFromPipeline).Count) {
            [pscustomobject]@{ Type = (Get-TypeName $parameter.ParameterType); Name = $parameter.Name }
        }
    }
    foreach ($group in ($byValue | Group-Object Type)) {
        [pscustomobject]@{ Type = $group.Name; Paragraphs = , [pscustomobject]@{ Kind = 'Prose'; Text = "You can pipe $($group.Name) objects to -$($group.Group[0].Name)." } }
    }
    $byName = @($Parameters | Where-Object { @($_.ParameterSets.Values | Where-Object ValueFromPipelineByPropertyName).Count })
    if ($byName.Count) {
        $names = ($byName | ForEach-Object { $_.Name; $_.Aliases } | Select-Object -First 8) -join ', '
        [pscustomobject]@{ Type = 'System.Management.Automation.PSObject'; Paragraphs = , [pscustomobject]@{ Kind = 'Prose'; Text = "Objects whose properties are named like parameters or their aliases bind by property name ($names, ...)." } }
    }
    if (-not $byValue -and -not $byName.Count) {
        [pscustomobject]@{ Type = 'None'; Paragraphs = , [pscustomobject]@{ Kind = 'Prose'; Text = 'This cmdlet takes no pipeline input.' } }
    }
}

#endregion

#region about topics

function Format-Wrapped([string] $Text, [int] $Indent, [int] $Width = 80, [int] $HangingIndent = $Indent) {
    $lines = [System.Collections.Generic.List[string]]::new()
    $line = ' ' * $Indent
    $lineHasWord = $false
    foreach ($word in ($Text -split '\s+' | Where-Object { $_ })) {
        if ($lineHasWord -and $line.Length + 1 + $word.Length -gt $Width) {
            $lines.Add($line)
            $line = (' ' * $HangingIndent) + $word
        }
        else {
            $line += $(if ($lineHasWord) { ' ' } else { '' }) + $word
        }
        $lineHasWord = $true
    }
    if ($lineHasWord) { $lines.Add($line) }
    $lines -join "`n"
}

function ConvertTo-AboutText([string] $Markdown) {
    $lines = $Markdown -split '\r?\n'
    $out = [System.Text.StringBuilder]::new()
    $title = ($lines | Where-Object { $_ -match '^# ' } | Select-Object -First 1) -replace '^# ', ''
    [void]$out.Append("TOPIC`n    $($title.Trim().ToLowerInvariant())`n")
    foreach ($section in (Split-Heading $lines 2)) {
        [void]$out.Append("`n$($section.Title.ToUpperInvariant())`n")
        $before = [System.Collections.Generic.List[string]]::new()
        $subsections = Split-Heading $section.Lines 3
        foreach ($line in $section.Lines) { if ($line.StartsWith('### ')) { break }; $before.Add($line) }
        $parts = @([pscustomobject]@{ Title = $null; Lines = $before }) + @($subsections)
        foreach ($part in $parts) {
            if ($part.Title) { [void]$out.Append("`n    $($part.Title.ToUpperInvariant())`n") }
            $first = $true
            foreach ($paragraph in (Get-Paragraph $part.Lines)) {
                if (-not $first) { [void]$out.Append("`n") }
                $first = $false
                switch ($paragraph.Kind) {
                    'Code' { [void]$out.Append((($paragraph.Text -split "`n" | ForEach-Object { ('        ' + $_).TrimEnd() }) -join "`n") + "`n") }
                    'Structured' {
                        foreach ($item in ($paragraph.Text -split "`n")) {
                            $plain = ConvertTo-PlainText $item.Trim()
                            if ($plain -match '^([-*]|\d+\.)\s+(.*)$') {
                                $bullet = if ($Matches[1] -in '-', '*') { '-' } else { $Matches[1] }
                                [void]$out.Append((Format-Wrapped "$bullet $($Matches[2])" 4 -HangingIndent (5 + $bullet.Length)) + "`n")
                            }
                            elseif ($plain -match '^\|[\s:|-]+\|$') { continue }
                            else { [void]$out.Append('    ' + $plain + "`n") }
                        }
                    }
                    default { [void]$out.Append((Format-Wrapped (ConvertTo-PlainText $paragraph.Text) 4) + "`n") }
                }
            }
        }
    }
    $out.ToString()
}

# The catalog is data in AlertHooks.Core; the topic is rebuilt from it on every build, so it cannot drift.
function New-TokenTopicMarkdown {
    $catalog = [AlertHooks.TokenCatalog]::All
    $md = [System.Text.StringBuilder]::new()
    [void]$md.AppendLine('# about_AlertHooks_Tokens')
    [void]$md.AppendLine()
    [void]$md.AppendLine('## SHORT DESCRIPTION')
    [void]$md.AppendLine("The $($catalog.Count) template tokens of AlertHooks, the event types that provide them and an example value of each.")
    [void]$md.AppendLine()
    [void]$md.AppendLine('## LONG DESCRIPTION')
    [void]$md.AppendLine('A body template refers to a token as {{token_name}}, or through Liquid as {{ token_name | filter }}. Global tokens exist for every event; the others only for the event types listed with them. A token outside the catalog is an error; a catalog token that the event type does not provide is a warning and renders empty.')
    [void]$md.AppendLine()
    [void]$md.AppendLine('This topic is generated from the token catalog of the installed AlertHooks (AlertHooks.TokenCatalog). Get-AlertToken returns the same data as objects.')
    foreach ($group in ($catalog | Group-Object Group)) {
        [void]$md.AppendLine()
        [void]$md.AppendLine("### $($group.Name) tokens")
        foreach ($token in $group.Group) {
            [void]$md.AppendLine()
            $types = if ($token.IsGlobal) { 'every event type' } else { $token.EventTypes -join ', ' }
            [void]$md.AppendLine("- $($token.Template) - $($token.Description) Example: $($token.Example). Provided by: $types.")
        }
    }
    [void]$md.AppendLine()
    [void]$md.AppendLine('## EVENT TYPES')
    [void]$md.AppendLine('Each event type with its notification_type and the tokens it adds to the global ones.')
    foreach ($type in [Enum]::GetValues([AlertHooks.AlertEventType])) {
        [void]$md.AppendLine()
        $scoped = ($catalog | Where-Object { -not $_.IsGlobal -and $_.EventTypes -contains $type } | ForEach-Object Name) -join ', '
        [void]$md.AppendLine("- $type ($([AlertHooks.TokenCatalog]::NotificationType($type))): $scoped")
    }
    [void]$md.AppendLine()
    [void]$md.AppendLine('## SEE ALSO')
    [void]$md.AppendLine('about_AlertHooks, Get-AlertToken, New-AlertEvent')
    $md.ToString()
}

#endregion

$module = Import-Module $ManifestPath -Force -PassThru
if (Test-Path $OutputPath) { Remove-Item -Recurse -Force $OutputPath }
New-Item -ItemType Directory -Force $OutputPath | Out-Null

$settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false); NewLineChars = "`n" }
$mamlPath = Join-Path $OutputPath 'AlertHooks.dll-Help.xml'
$writer = [System.Xml.XmlWriter]::Create($mamlPath, $settings)
try {
    $writer.WriteStartDocument()
    $writer.WriteStartElement('helpItems', 'http://msh')
    $writer.WriteAttributeString('schema', 'maml')
    foreach ($prefix in 'maml', 'command', 'dev') { $writer.WriteAttributeString('xmlns', $prefix, $null, $ns[$prefix]) }
    foreach ($name in ($module.ExportedCmdlets.Keys | Sort-Object)) {
        $source = Join-Path $SourcePath "$name.md"
        if (-not (Test-Path $source)) {
            Write-Warning "No help source for $name ($source); tests/Pester/Help.Tests.ps1 will fail until it exists."
            continue
        }
        Write-CommandHelp $writer (Get-Command $name -Module AlertHooks) (Read-CommandHelp $source)
    }
    $writer.WriteEndElement()
    $writer.WriteEndDocument()
}
finally {
    $writer.Dispose()
}

foreach ($topic in (Get-ChildItem $SourcePath -Filter 'about_*.md')) {
    $text = ConvertTo-AboutText (Get-Content -Raw $topic.FullName)
    [System.IO.File]::WriteAllText((Join-Path $OutputPath "$($topic.BaseName).help.txt"), $text, [System.Text.UTF8Encoding]::new($false))
}
$tokens = ConvertTo-AboutText (New-TokenTopicMarkdown)
[System.IO.File]::WriteAllText((Join-Path $OutputPath 'about_AlertHooks_Tokens.help.txt'), $tokens, [System.Text.UTF8Encoding]::new($false))
