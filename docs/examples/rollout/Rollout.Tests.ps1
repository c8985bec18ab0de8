<#
    The checks a team keeps beside its alert policies (policies/*.json) and runs in CI before a rollout:
      1. every policy is valid and renders a payload its target accepts, for each of its event types;
      2. syncing the folder into a store removes nothing that is not meant to go;
      3. a dry run against a local receiver delivers the payloads the team expects to the policies it expects.
    Nothing leaves the machine: the webhook URLs and the PagerDuty routing key come from environment variables,
    which point at a loopback receiver here and at the real services in the deployment pipeline.
#>

BeforeDiscovery {
    $policyFiles = Get-ChildItem (Join-Path $PSScriptRoot 'policies') -Filter *.json | ForEach-Object { @{ File = $_.FullName; Name = $_.BaseName } }
}

BeforeAll {
    # In a team's own repository this is just: Import-Module AlertHooks
    Import-Module (Join-Path $PSScriptRoot '../../../AlertHooks.psd1') -Force
    $policyFolder = Join-Path $PSScriptRoot 'policies'

    $variables = 'ALERTHOOKS_HOME', 'ROLLOUT_SLACK_URL', 'ROLLOUT_DISCORD_URL', 'ROLLOUT_PAGERDUTY_URL', 'ROLLOUT_PAGERDUTY_ROUTING_KEY'
    $saved = @{}
    foreach ($name in $variables) { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }

    # A throw-away store: the rollout is rehearsed, never applied to the real one.
    $env:ALERTHOOKS_HOME = Join-Path $TestDrive 'alerthooks'
    $receiver = Start-AlertReceiver
    $env:ROLLOUT_SLACK_URL = "$($receiver.Url)slack"
    $env:ROLLOUT_DISCORD_URL = "$($receiver.Url)discord"
    $env:ROLLOUT_PAGERDUTY_URL = "$($receiver.Url)pagerduty"
    $env:ROLLOUT_PAGERDUTY_ROUTING_KEY = 'R0LL0UTTESTKEY0000000000000000AB'
}

AfterAll {
    $receiver | Stop-AlertReceiver
    foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
}

Describe 'Alert policy rollout' {
    It 'has exactly the policies the team expects, all valid' {
        $policies = Import-AlertPolicy -Path $policyFolder -ErrorVariable problems
        $problems | Should -BeNullOrEmpty
        $policies.Name | Should -Be @('data-discord', 'oncall-pagerduty', 'ops-slack')
    }

    It '<Name> renders a valid payload for each of its event types' -ForEach $policyFiles {
        $policy = Import-AlertPolicy -Path $File -ErrorAction Stop
        if (Get-Command Test-AlertTemplate -ErrorAction SilentlyContinue) {
            $results = @(Test-AlertTemplate -Policy $policy)
            $results.Count | Should -Be $policy.EventTypes.Count
            foreach ($result in $results) {
                $result.IsValid | Should -BeTrue -Because "$($result.EventType): $($result.Errors | Out-String)"
            }
        }
        else {
            # A module without Test-AlertTemplate: send a sample of each event type to the loopback receiver instead;
            # rendering refuses a template error, and what arrives must be JSON.
            foreach ($eventType in $policy.EventTypes) {
                $result = Send-AlertWebhook -Policy $policy -Sample -EventType $eventType -ErrorAction Stop
                $result.Succeeded | Should -BeTrue
                { $receiver.Requests[-1].Body | ConvertFrom-Json } | Should -Not -Throw
            }
        }
    }

    It 'plans no removal the team did not ask for' {
        # The store as production has it: today's policies plus one the team is retiring on purpose.
        Sync-AlertPolicy -Path $policyFolder | Out-Null
        New-AlertPolicy -Name 'legacy-email-bridge' -EventType JobFailure -Url 'https://mail-bridge.example.com/hook' -Body '{"text":"{{alert_summary}}"}' |
            Register-AlertPolicy | Out-Null
        $expectedRemovals = @('legacy-email-bridge')

        $plan = Sync-AlertPolicy -Path $policyFolder -Prune -Plan

        @($plan | Where-Object Action -eq 'Remove').Name | Should -Be $expectedRemovals
        $plan | Where-Object Action -ne 'Remove' | ForEach-Object { $_.Action | Should -Be 'Unchanged' -Because "$($_.Name) was synced just before" }
        (Get-AlertPolicy).Name | Should -Contain 'legacy-email-bridge' -Because '-Plan changes nothing'
    }

    It 'routes a dry run of real-looking events to the expected receivers with the expected payloads' {
        Sync-AlertPolicy -Path $policyFolder -Prune -Confirm:$false | Out-Null
        $earlier = $receiver.Requests.Count

        $results = @(
            New-AlertEvent JobFailure -JobName 'daily_etl' -RunId 'run-0001' -FailureMessage 'Step "load" failed' -RunLink 'https://dagster.example/runs/run-0001' -DeploymentName 'prod'
            New-AlertEvent JobFailure -JobName 'hourly_sync' -RunId 'run-0002' -FailureMessage 'timeout' -RunLink 'https://dagster.example/runs/run-0002' -DeploymentName 'prod'
            New-AlertEvent AssetCheckFailure -AssetKey 'analytics/orders' -FailureMessage '42 rows with a null order_id' -RunLink 'https://dagster.example/runs/run-0003' -DeploymentName 'prod'
        ) | Send-AlertWebhook

        $results.Succeeded | Should -Not -Contain $false
        # Each endpoint keeps input order; across endpoints deliveries run concurrently.
        ($results | ForEach-Object PolicyName | Sort-Object) | Should -Be @('data-discord', 'oncall-pagerduty', 'ops-slack', 'ops-slack')

        $sent = $receiver.Requests | Select-Object -Skip $earlier
        # Discord is asked to confirm each message (?wait=true), so that an unsaved one is an error.
        ($sent | Where-Object Path -Like '/discord*').Path | Should -Be '/discord?wait=true'
        $byPath = $sent | Group-Object { ($_.Path -split '\?')[0] } -AsHashTable -AsString
        $page = $byPath['/pagerduty'] | ForEach-Object { $_.Body | ConvertFrom-Json }
        $page.routing_key | Should -Be $env:ROLLOUT_PAGERDUTY_ROUTING_KEY
        $page.dedup_key | Should -Be 'run-0001'
        $page.payload.summary | Should -Be 'Job daily_etl failed'
        $page.payload.custom_details.failure | Should -Be 'Step "load" failed'

        $slack = $byPath['/slack'] | ForEach-Object { $_.Body | ConvertFrom-Json }
        $slack.text | Should -Be @('Job daily_etl failed', 'Job hourly_sync failed')
        $slack[1].blocks[1].text.text | Should -BeLike '*<https://dagster.example/runs/run-0002|Open the run>'

        $discord = $byPath['/discord'] | ForEach-Object { $_.Body | ConvertFrom-Json }
        $discord.embeds[0].title | Should -Be 'analytics/orders'
        $discord.embeds[0].description | Should -Be '42 rows with a null order_id'
        $discord.allowed_mentions.parse.Count | Should -Be 0
    }
}
