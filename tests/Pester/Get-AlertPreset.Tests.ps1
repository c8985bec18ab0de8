BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force
}

Describe 'Get-AlertPreset' {
    It 'lists the five presets' {
        $presets = Get-AlertPreset
        $presets[0] | Should -BeOfType 'AlertHooks.AlertPreset'
        $presets.Name | Should -Be @('Slack', 'Discord', 'Teams', 'PagerDuty', 'Generic')
        $presets | ForEach-Object { $_.Description | Should -Not -BeNullOrEmpty; $_.Body | Should -Not -BeNullOrEmpty }
    }

    It 'finds presets by name, case-insensitively and with wildcards' {
        (Get-AlertPreset slack).Target | Should -Be 'Slack'
        (Get-AlertPreset -Name '*d*').Name | Should -Be @('Discord', 'PagerDuty')
    }

    It 'writes an error for an unknown preset' {
        $null = Get-AlertPreset -Name 'Mattermost' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'PresetNotFound,AlertHooks.Commands.GetAlertPresetCommand'
        $err[0].Exception.Message | Should -Match 'Mattermost'
    }

    It 'tailors Generic to event types: exactly their tokens' {
        $body = (Get-AlertPreset Generic -EventType AgentDowntime).Body | ConvertFrom-Json
        $body.PSObject.Properties.Name | Should -Be (Get-AlertToken -EventType AgentDowntime).Name
    }

    It 'gives bodies that pass Test-AlertTemplate for their own target with every event type' {
        $types = [Enum]::GetValues([AlertHooks.AlertEventType])
        foreach ($preset in Get-AlertPreset) {
            $results = Test-AlertTemplate -Body $preset.Body -EventType $types -Target $preset.Target
            $results.Count | Should -Be $types.Count
            $results | ForEach-Object { $_.IsValid | Should -BeTrue -Because "$($preset.Name) for $($_.EventType): $($_.Errors)" }
        }
    }

    It 'completes preset names' {
        foreach ($case in @{ Line = 'New-AlertPolicy -Preset Pa'; Expected = 'PagerDuty' }, @{ Line = 'Get-AlertPreset G'; Expected = 'Generic' }) {
            (TabExpansion2 -inputScript $case.Line -cursorColumn $case.Line.Length).CompletionMatches.CompletionText | Should -Be $case.Expected
        }
    }

    It 'shows a table that fits 120 columns' {
        Get-AlertPreset | Out-String -Width 120 -Stream | ForEach-Object { $_.Length | Should -BeLessOrEqual 120 }
    }
}
