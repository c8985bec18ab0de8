BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force
    $script:savedHome = $env:ALERTHOOKS_HOME
    $body = '{"policy":"{{alert_policy_name}}","summary":"{{alert_summary}}","sample":"{{is_sample}}"}'
}

AfterAll {
    $env:ALERTHOOKS_HOME = $script:savedHome
}

Describe 'Send-AlertWebhook routing to registered policies' {
    BeforeEach {
        $env:ALERTHOOKS_HOME = Join-Path $TestDrive ([guid]::NewGuid())
        $receiver = Start-AlertReceiver
        New-AlertPolicy -Name 'all-failures' -EventType JobFailure -Url "$($receiver.Url)all" -Body $body | Register-AlertPolicy | Out-Null
        New-AlertPolicy -Name 'daily-only' -EventType JobFailure, JobSuccess -Url "$($receiver.Url)daily" -Body $body -Match @{ job_name = 'daily_*' } | Register-AlertPolicy | Out-Null
        New-AlertPolicy -Name 'off' -EventType JobFailure -Url "$($receiver.Url)off" -Body $body -Disabled | Register-AlertPolicy | Out-Null
    }

    AfterEach {
        $receiver | Stop-AlertReceiver
    }

    It 'sends a piped event to every enabled policy whose types and -Match patterns take it, one result per (event, policy)' {
        $results = @(
            New-AlertEvent JobFailure -JobName 'DAILY_etl'
            New-AlertEvent JobFailure -JobName 'hourly_sync'
            New-AlertEvent JobSuccess -JobName 'daily_etl'
        ) | Send-AlertWebhook

        # Endpoints are sent to concurrently: each keeps input order, but the interleaving across endpoints is free.
        ($results | ForEach-Object { "$($_.PolicyName)" } | Sort-Object) | Should -Be @('all-failures', 'all-failures', 'daily-only', 'daily-only')
        $results.Succeeded | Should -Not -Contain $false
        ($receiver.Requests | ForEach-Object { "$($_.Path) $(($_.Body | ConvertFrom-Json).summary)" } | Sort-Object) | Should -Be @(
            '/all Job DAILY_etl failed'
            '/all Job hourly_sync failed'
            '/daily Job DAILY_etl failed'
            '/daily Job daily_etl succeeded')
    }

    It 'writes AlertNotRouted for an event no policy takes, and carries on' {
        $results = @(
            New-AlertEvent AgentDowntime -AgentUrl 'https://agents.example/1'
            New-AlertEvent JobFailure -JobName 'x'
        ) | Send-AlertWebhook -ErrorVariable errors -ErrorAction SilentlyContinue

        @($results).Count | Should -Be 1
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'AlertNotRouted,AlertHooks.Commands.SendAlertWebhookCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errors[0].Exception.Message | Should -Match 'AgentDowntime'
        $errors[0].TargetObject.EventType | Should -Be 'AgentDowntime'
    }

    It 'lets a runbook stop on AlertNotRouted' {
        { New-AlertEvent AssetHealth -AssetKey 'a/b' | Send-AlertWebhook -ErrorAction Stop } |
            Should -Throw -ErrorId 'AlertNotRouted,AlertHooks.Commands.SendAlertWebhookCommand'
    }

    It 'takes registered policy names for -Policy' {
        $result = Send-AlertWebhook -Policy 'off' -Event (New-AlertEvent JobFailure -JobName 'n')
        $result.PolicyName | Should -Be 'off'
        $receiver.Requests[0].Path | Should -Be '/off'
        { Send-AlertWebhook -Policy 'ghost' -Event (New-AlertEvent JobFailure -JobName 'n') } | Should -Throw '*ghost*'
    }

    It 'sends a sample of each event type of the policy with -Sample, or only -EventType' {
        $results = Send-AlertWebhook -Policy 'daily-only' -Sample
        $results | Should -HaveCount 2
        $samples = $receiver.Requests | ForEach-Object { $_.Body | ConvertFrom-Json }
        $samples.sample | Should -Be @('true', 'true')
        $samples.summary | Should -Be @('Job daily_etl failed', 'Job daily_etl succeeded')

        Send-AlertWebhook -Policy 'daily-only' -Sample -EventType JobSuccess | Out-Null
        $receiver.Requests | Should -HaveCount 3
        Send-AlertWebhook -Policy 'daily-only' -Sample -EventType AgentDowntime -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -Be 'EventTypeNotHandled,AlertHooks.Commands.SendAlertWebhookCommand'
    }

    It 'gives a sample the configured deployment' {
        Set-AlertHooksConfiguration -DeploymentName 'staging-eu'
        New-AlertPolicy -Name 'dep' -EventType AgentDowntime -Url "$($receiver.Url)dep" -Body '{"d":"{{deployment_name}}","s":"{{is_sample}}"}' | Register-AlertPolicy | Out-Null

        Send-AlertWebhook -Policy 'dep' -Sample | Out-Null

        $receiver.Requests[0].Body | Should -Be '{"d":"staging-eu","s":"true"}'
    }
}
