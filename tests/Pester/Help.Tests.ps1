# In the manner of Pester's own tst/Help.Tests.ps1: every exported command, whoever wrote it, has complete help.
# The list comes from the manifest, so a cmdlet added without module/help/<Verb-Noun>.md fails here.
BeforeDiscovery {
    $manifestPath = Join-Path $PSScriptRoot '../../AlertHooks.psd1'
    # Without its source file a command fails once (the first test) rather than once per check.
    $commands = @((Import-PowerShellDataFile $manifestPath).CmdletsToExport | Sort-Object | ForEach-Object {
            @{ Name = $_; HasSource = Test-Path (Join-Path $PSScriptRoot "../../module/help/$_.md") }
        })
}

BeforeAll {
    $root = Join-Path $PSScriptRoot '../..'
    Import-Module (Join-Path $root 'AlertHooks.psd1') -Force
    $commonParameters = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
}

Describe 'Help for <Name>' -Tag Help -ForEach $commands {
    BeforeAll {
        $command = Get-Command $Name -Module AlertHooks
        $help = Get-Help $Name -Full
        $source = Join-Path $root "module/help/$Name.md"
        $parameters = @($command.Parameters.Values | Where-Object Name -NotIn $commonParameters)
        $helpParameters = @($help.parameters.parameter | Where-Object { $_ -and $_.name -notin $commonParameters })
    }

    It 'has a help source file module/help/<Name>.md' {
        Test-Path $source | Should -BeTrue -Because "every exported cmdlet needs its help source (format: module/help/README.md)"
    }

    It 'has a synopsis that is not generated from the syntax' -Skip:(-not $HasSource) {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis.Trim() | Should -Not -BeLike "$Name *" -Because 'PowerShell falls back to the syntax when no help file is found'
        $help.Synopsis | Should -Not -BeLike '*`[`<CommonParameters`>`]*'
    }

    It 'has a description' -Skip:(-not $HasSource) {
        ($help.description.Text -join '').Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples, each with code' -Skip:(-not $HasSource) {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $example.code.Trim() | Should -Not -BeNullOrEmpty -Because "$($example.title.Trim('- ')) needs code"
        }
    }

    It 'describes every parameter' -Skip:(-not $HasSource) {
        $undescribed = foreach ($parameter in $parameters) {
            $entry = $helpParameters | Where-Object name -EQ $parameter.Name
            if (-not $entry -or -not ($entry.description.Text -join '').Trim()) { $parameter.Name }
        }
        @($undescribed) | Should -BeNullOrEmpty -Because 'each parameter needs a "### -Name" entry in the help source'
    }

    It 'documents no parameter the command does not have' -Skip:(-not $HasSource) {
        $stale = $helpParameters | Where-Object { -not $command.Parameters.ContainsKey($_.name) } | ForEach-Object name
        @($stale) | Should -BeNullOrEmpty
    }

    It 'has parameter types and mandatory flags that match the command' -Skip:(-not $HasSource) {
        foreach ($parameter in $parameters) {
            $entry = $helpParameters | Where-Object name -EQ $parameter.Name
            if (-not $entry) { continue }
            $type = $parameter.ParameterType
            if ($type.IsGenericType -and $type.GetGenericTypeDefinition() -eq [Nullable`1]) { $type = $type.GetGenericArguments()[0] }
            $entry.type.name | Should -Be $type.FullName -Because "the help type of -$($parameter.Name)"
            $mandatory = @($parameter.ParameterSets.Values | Where-Object { -not $_.IsMandatory }).Count -eq 0
            $entry.required | Should -Be $mandatory.ToString().ToLowerInvariant() -Because "-$($parameter.Name) mandatory"
        }
    }

    It 'documents every output type the command declares' -Skip:(-not $HasSource) {
        $documented = @($help.returnValues.returnValue | ForEach-Object { $_.type.name.Trim() })
        foreach ($outputType in $command.OutputType) {
            $documented | Should -Contain $outputType.Name
        }
        $command.OutputType | Should -Not -BeNullOrEmpty
    }

    It 'answers Get-Help -Examples' -Skip:(-not $HasSource) {
        $examples = Get-Help $Name -Examples
        @($examples.examples.example).Count | Should -BeGreaterOrEqual 2
        ($examples | Out-String) | Should -Match 'Example 1'
    }
}

Describe 'About topics' -Tag Help {
    It 'about_AlertHooks covers tokens, templates and filters, presets, delivery rules and error ids' {
        $text = Get-Help about_AlertHooks | Out-String
        foreach ($heading in 'TOKENS', 'TEMPLATES AND FILTERS', 'PRESETS', 'DELIVERY RULES', 'ERROR IDS') {
            $text | Should -Match "(?m)^\s+$heading\s*$"
        }
        $text | Should -Match 'AlertDeliveryFailed'
    }

    It 'about_AlertHooks_Tokens lists every token of the catalog, with its description' {
        $text = Get-Help about_AlertHooks_Tokens | Out-String
        $catalog = [AlertHooks.TokenCatalog]::All
        $catalog.Count | Should -BeGreaterThan 30
        foreach ($token in $catalog) {
            $text | Should -Match ([regex]::Escape("{{$($token.Name)}}"))
        }
        ($text -replace '\s+', ' ') | Should -Match ([regex]::Escape($catalog[0].Description))
    }

    It 'mentions every event type with its notification_type in about_AlertHooks_Tokens' {
        $text = Get-Help about_AlertHooks_Tokens | Out-String
        foreach ($type in [Enum]::GetValues([AlertHooks.AlertEventType])) {
            $text | Should -Match ([regex]::Escape("$type ($([AlertHooks.TokenCatalog]::NotificationType($type)))"))
        }
    }
}
