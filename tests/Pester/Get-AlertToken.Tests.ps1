BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force
}

Describe 'Get-AlertToken' {
    It 'lists the whole catalog' {
        $tokens = Get-AlertToken
        $tokens[0] | Should -BeOfType 'AlertHooks.TokenInfo'
        $tokens.Count | Should -Be 36
        $tokens.Name | Should -Contain 'failure_message'
    }

    It 'lists the tokens an event type provides' {
        $names = (Get-AlertToken -EventType AgentDowntime).Name
        $names | Should -Contain 'agent_url'
        $names | Should -Contain 'alert_summary'
        $names | Should -Not -Contain 'job_name'
    }

    It 'takes the event types of a policy from the pipeline' {
        $policy = New-AlertPolicy -Name 'ops' -EventType ScheduleTickFailure -Url 'https://example.com/h' -Body '{"text":"{{alert_summary}}"}'
        ($policy | Get-AlertToken).Name | Should -Contain 'instigator_name'
    }

    It 'filters by name with wildcards' {
        (Get-AlertToken -Name 'run_*').Name | Should -Be @('run_id', 'run_link', 'run_status')
        (Get-AlertToken -EventType JobFailure -Name '*_time').Name | Should -Be @('elapsed_time', 'start_time', 'end_time')
    }

    It 'writes an error for an unknown name' {
        $tokens = Get-AlertToken -Name 'job_nme' -ErrorVariable err -ErrorAction SilentlyContinue
        $tokens | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'TokenNotFound,AlertHooks.Commands.GetAlertTokenCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].Exception.Message | Should -Match 'job_nme'
    }

    It 'says when a token exists but not for the event type' {
        $null = Get-AlertToken -EventType AgentDowntime -Name 'job_name' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception.Message | Should -Match 'not available for AgentDowntime'
    }

    It 'completes token names, narrowed by -EventType' {
        $line = 'Get-AlertToken -Name run_'
        $all = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $all | Should -Be @('run_id', 'run_link', 'run_status')
        $line = 'Get-AlertToken -EventType AgentDowntime -Name a'
        $agent = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $agent | Should -Contain 'agent_url'
        $agent | Should -Not -Contain 'asset_key'
        $line = 'Get-AlertToken -Name *_ti'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('elapsed_time', 'start_time', 'end_time')
    }

    It 'shows a table that fits 120 columns' {
        Get-AlertToken | Out-String -Width 120 -Stream | ForEach-Object { $_.Length | Should -BeLessOrEqual 120 }
    }
}
