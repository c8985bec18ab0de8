# Tab completion as a user gets it: TabExpansion2 on a command line, cursor at the end.
# Data-driven: add a case to $cases below (a line, the completions it must offer, and the command or Command:Parameter
# it needs, so that a case for a cmdlet not merged yet is skipped rather than failed). Policy names come from a store
# in a throwaway ALERTHOOKS_HOME made in BeforeAll; delivery ids from a send into that home's journal.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force

    $cases = @(
        # Event types: every parameter typed AlertEventType completes its values.
        @{ Line = 'New-AlertEvent -EventType Job'; Expected = 'JobFailure', 'JobLongRunning', 'JobSuccess' }
        @{ Line = 'New-AlertEvent Asset'; Expected = 'AssetHealth', 'AssetFreshness', 'AssetMaterializationFailure' }
        @{ Line = 'New-AlertPolicy -Name ops -EventType JobFailure, Sche'; Expected = 'ScheduleTickFailure' }
        @{ Line = 'Get-AlertToken -EventType Insi'; Expected = 'InsightsThreshold'; Requires = 'Get-AlertToken:EventType' }

        # New-AlertEvent's own parameters, by PascalCase name and by token alias.
        @{ Line = 'New-AlertEvent JobFailure -Fail'; Expected = '-FailureMessage' }
        @{ Line = 'New-AlertEvent JobFailure -Sam'; Expected = '-Sample' }
        @{ Line = 'New-AlertEvent JobFailure -To'; Expected = '-Token' }
        @{ Line = 'New-AlertEvent JobFailure -run_'; Expected = '-run_id', '-run_link', '-run_status' }

        # Token names where a parameter takes one (TokenNameCompleter).
        @{ Line = 'Get-AlertToken -Name job_'; Expected = 'job_name'; Requires = 'Get-AlertToken:Name' }
        @{ Line = 'Get-AlertToken -Name alert_'; Expected = 'alert_summary', 'alert_content', 'alert_policy_name'; Requires = 'Get-AlertToken:Name' }

        # Policy names from the store (registered in BeforeAll).
        @{ Line = 'Get-AlertPolicy -Name completion-o'; Expected = 'completion-ops'; Requires = 'Get-AlertPolicy:Name' }
        @{ Line = 'Send-AlertWebhook -Policy completion-'; Expected = 'completion-ops', 'completion-data'; Requires = 'Register-AlertPolicy' }

        # Preset names.
        @{ Line = 'Get-AlertPreset -Name Pag'; Expected = 'PagerDuty'; Requires = 'Get-AlertPreset:Name' }
        @{ Line = 'New-AlertPolicy -Name ops -EventType JobFailure -Url https://hooks.slack.com/services/x -Preset Sl'; Expected = 'Slack'; Requires = 'New-AlertPolicy:Preset' }
    )

    # Every token an event can carry is a New-AlertEvent parameter alias, so typing a token name completes it.
    $policyOwned = 'alert_policy_name', 'alert_policy_id', 'notification_type', 'is_sample'
    $tokenCases = foreach ($token in [AlertHooks.TokenCatalog]::All | Where-Object Name -NotIn $policyOwned) {
        $typed = $token.Name.Substring(0, $token.Name.Length - 1)
        @{ Line = "New-AlertEvent JobFailure -$typed"; Expected = @("-$($token.Name)") }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force
    $savedHome = $env:ALERTHOOKS_HOME
    $env:ALERTHOOKS_HOME = Join-Path $TestDrive 'alerthooks'
    if (Get-Command Register-AlertPolicy -Module AlertHooks -ErrorAction SilentlyContinue) {
        foreach ($name in 'completion-ops', 'completion-data') {
            New-AlertPolicy -Name $name -EventType JobFailure -Url 'https://alerts.example.com/hook' -Body '{"text":"{{alert_summary}}"}' | Register-AlertPolicy | Out-Null
        }
    }

    function Test-Requirement([string] $Requires) {
        if (-not $Requires) { return $true }
        $command, $parameter = $Requires -split ':', 2
        $info = Get-Command $command -Module AlertHooks -ErrorAction SilentlyContinue
        $null -ne $info -and (-not $parameter -or $info.Parameters.ContainsKey($parameter))
    }

    function Get-Completion([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText)
    }
}

Describe 'Tab completion' -Tag Completion {
    It 'completes "<Line>" with <Expected>' -ForEach $cases {
        if (-not (Test-Requirement $Requires)) { Set-ItResult -Skipped -Because "$Requires is not in this build"; return }
        $completions = Get-Completion $Line
        foreach ($expected in $Expected) {
            $completions | Should -Contain $expected
        }
    }

    It 'completes the token name <Expected> as a New-AlertEvent parameter' -ForEach $tokenCases {
        Get-Completion $Line | Should -Contain $Expected[0]
    }

    It 'completes delivery ids from the journal' {
        if (-not (Test-Requirement 'Get-AlertDelivery:Id')) { Set-ItResult -Skipped -Because 'the delivery journal is not in this build'; return }
        $receiver = Start-AlertReceiver
        try {
            $policy = New-AlertPolicy -Name 'completion-journal' -EventType JobFailure -Url $receiver.Url -Body '{"text":"{{alert_summary}}"}'
            $sent = New-AlertEvent JobFailure -JobName etl | Send-AlertWebhook -Policy $policy
        }
        finally { $receiver | Stop-AlertReceiver }
        $id = [string]$sent.DeliveryId
        $id | Should -Not -BeNullOrEmpty

        Get-Completion "Get-AlertDelivery -Id $($id.Substring(0, $id.Length - 4))" | Should -Contain $id
        Get-Completion "Remove-AlertDelivery -Id $($id.Substring(0, $id.Length - 4))" | Should -Contain $id
    }

    It 'offers only the event types that match what was typed' {
        $completions = Get-Completion 'New-AlertEvent -EventType Job'
        $completions | Should -Not -Contain 'AgentDowntime'
        $completions.Count | Should -Be 3
    }
}

AfterAll {
    $env:ALERTHOOKS_HOME = $savedHome
}
