# Send-AlertWebhook and the journal: every send is journaled, failed records replay in place, runbooks can rely on both.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force
    . (Join-Path $PSScriptRoot 'JournalTestHelpers.ps1')
    $savedHome = $env:ALERTHOOKS_HOME
    $body = '{"text":"{{alert_summary}}"}'
}

AfterAll {
    $env:ALERTHOOKS_HOME = $savedHome
    Stop-AlertReceiver
}

Describe 'Send-AlertWebhook -Delivery (replay)' {
    BeforeEach {
        $env:ALERTHOOKS_HOME = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
    }

    It 're-sends failed records with the same id, headers and body, and updates them in place' {
        # Statuses that are never retried, so each alert fails after one attempt whatever the retry policy.
        $receiver = Start-AlertReceiver -Response 400, 410
        try {
            $policy = New-AlertPolicy -Name 'ops' -EventType JobFailure -Url "$($receiver.Url)hooks?token=sentinel-r-1111" -Body $body -Header @{ 'X-Api-Key' = 'sentinel-r-2222' }
            $first = 'a', 'b' | ForEach-Object { New-AlertEvent JobFailure -JobName $_ } | Send-AlertWebhook -Policy $policy -ErrorAction SilentlyContinue
            $first.Succeeded | Should -Be @($false, $false)

            $replayed = Get-AlertDelivery -Status Failed | Send-AlertWebhook

            # Deliveries run concurrently and results stream out as they finish, so compare as sets.
            $replayed.DeliveryId | Sort-Object | Should -Be ($first.DeliveryId | Sort-Object)
            $replayed.Succeeded | Should -Be @($true, $true)
            $records = @(Get-AlertDelivery)
            $records.Count | Should -Be 2
            $records.Status | Should -Be @('Delivered', 'Delivered')
            $records.Attempts | Should -Be @(2, 2)
            $receiver.Requests.Count | Should -Be 4
            # Each alert went out twice under one idempotency key, the replay with the first try's headers and bytes.
            $sends = @($receiver.Requests | Group-Object { $_.Headers['Idempotency-Key'] })
            $sends.Count | Should -Be 2
            foreach ($send in $sends) {
                $send.Count | Should -Be 2
                $original, $again = $send.Group
                $again.Headers['X-Api-Key'] | Should -Be 'sentinel-r-2222'
                $again.Path | Should -Be '/hooks?token=sentinel-r-1111'
                [Convert]::ToBase64String($again.BodyBytes) | Should -Be ([Convert]::ToBase64String($original.BodyBytes))
            }
        }
        finally {
            $receiver | Stop-AlertReceiver
        }
    }

    It 'shows the replay with -WhatIf, redacted, and sends nothing' {
        $receiver = Start-AlertReceiver -Response 400
        try {
            $policy = New-AlertPolicy -Name 'ops' -EventType JobFailure -Url "$($receiver.Url)?token=sentinel-w-3333" -Body $body
            $null = New-AlertEvent JobFailure -JobName a | Send-AlertWebhook -Policy $policy -ErrorAction SilentlyContinue

            $output = Get-HostOutput { Get-AlertDelivery | Send-AlertWebhook -WhatIf }

            $receiver.Requests.Count | Should -Be 1
            $output | Should -Match '(?i)replay\b.*\bFailed delivery msg_'
            $output | Should -Not -Match 'sentinel-'
            (Get-AlertDelivery).Status | Should -Be 'Failed'
        }
        finally {
            $receiver | Stop-AlertReceiver
        }
    }
}

Describe 'The runbook contract' {
    BeforeEach {
        $env:ALERTHOOKS_HOME = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
    }

    It 'throws under $ErrorActionPreference = Stop, with the alert already journaled as Failed' {
        $receiver = Start-AlertReceiver -Response 400
        try {
            $policy = New-AlertPolicy -Name 'runbook' -EventType JobFailure -Url $receiver.Url -Body $body
            $seen = & {
                $ErrorActionPreference = 'Stop'
                try {
                    New-AlertEvent JobFailure -JobName nightly | Send-AlertWebhook -Policy $policy | Out-Null
                    'not thrown'
                }
                catch {
                    # What a runbook's catch block sees at the moment of the throw.
                    [pscustomobject]@{ Error = $_; Journal = @(Get-AlertDelivery) }
                }
            }

            $seen | Should -Not -Be 'not thrown'
            $seen.Error.FullyQualifiedErrorId | Should -Be 'AlertDeliveryFailed,AlertHooks.Commands.SendAlertWebhookCommand'
            $seen.Journal.Count | Should -Be 1
            $seen.Journal[0].Status | Should -Be 'Failed'
            $seen.Journal[0].LastStatusCode | Should -Be 400
            $seen.Journal[0].Id | Should -Be $receiver.Requests[0].Headers['Idempotency-Key']
        }
        finally {
            $receiver | Stop-AlertReceiver
        }
    }
}
