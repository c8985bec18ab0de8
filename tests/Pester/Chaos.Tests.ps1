# The outbox promise under faults: every alert is delivered or journaled as Failed, never lost.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force
    . (Join-Path $PSScriptRoot 'JournalTestHelpers.ps1')
    $savedHome = $env:ALERTHOOKS_HOME
    $modulePath = (Resolve-Path (Join-Path $PSScriptRoot '../../AlertHooks.psd1')).Path
}

AfterAll {
    $env:ALERTHOOKS_HOME = $savedHome
    Stop-AlertReceiver
}

Describe 'Chaos: no alert lost' {
    BeforeEach {
        $env:ALERTHOOKS_HOME = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
    }

    It 'accounts for 500 alerts over 10 endpoints answering with ~30% faults' {
        $receivers = 0..9 | ForEach-Object { Start-AlertReceiver -Chaos -Seed (500 + $_) -FaultRatio 0.3 }
        # One attempt per send where the sender can retry: its backoff (seconds, with jitter) would take this suite past a
        # minute, and retry timing has fake-clock tests of its own. Here the replay pass is the second attempt, and
        # some alerts still end Failed, so both outcomes are accounted for.
        $send = @{ TimeoutSec = 5; ErrorAction = 'SilentlyContinue' }
        if ((Get-Command Send-AlertWebhook).Parameters.ContainsKey('MaxAttempts')) { $send.MaxAttempts = 1 }
        try {
            $results = foreach ($endpoint in 0..9) {
                $policy = New-AlertPolicy -Name "chaos-$endpoint" -EventType JobFailure -Url "$($receivers[$endpoint].Url)hooks/$endpoint" `
                    -Body '{"text":"{{alert_summary}}","run":"{{run_id}}"}'
                0..49 | ForEach-Object { New-AlertEvent JobFailure -JobName "job-$endpoint" -RunId "run-$endpoint-$_" } |
                    Send-AlertWebhook -Policy $policy @send
            }
            $sent = @($results.DeliveryId)
            $firstPassFailed = @($results | Where-Object { -not $_.Succeeded }).Count
            # Replay: the failed records go again with their own ids.
            $replayed = @(Get-AlertDelivery -Status Failed | Send-AlertWebhook @send)

            $accounting = Get-DeliveryAccounting -SentId $sent -Receiver $receivers
            Write-Host (Format-DeliveryAccounting 'Chaos A (500 alerts, 10 endpoints, 30% faults, one replay pass)' $accounting)
            Write-Host "Chaos A — failed on the first pass $firstPassFailed, replayed $($replayed.Count), delivered by replay $(@($replayed | Where-Object Succeeded).Count)"

            $sent.Count | Should -Be 500
            @($sent | Select-Object -Unique).Count | Should -Be 500
            $accounting.Lost | Should -Be 0 -Because ($accounting.LostIds -join '; ')
            ($accounting.Delivered + $accounting.FailedAndJournaled) | Should -Be 500
            $accounting.UnexplainedDuplicates | Should -BeNullOrEmpty
            $accounting.UnknownKeys | Should -Be 0
            $accounting.Dropped | Should -BeGreaterThan 0 -Because 'the chaos must include lost responses'
            @($receivers.Requests | Where-Object ResponseStatus -ge 400).Count | Should -BeGreaterThan 0 -Because 'the chaos must include error answers'
            @(Get-AlertDelivery).Count | Should -Be 500 -Because 'replay updates records in place'
            @(Get-AlertDelivery -Status Pending).Count | Should -Be 0
        }
        finally {
            $receivers | Stop-AlertReceiver
        }
    }

    It 'replays in a fresh process what a killed (kill -9) sender left Pending' {
        $receiver = Start-AlertReceiver
        try {
            # Slow answers keep one alert in flight at almost any moment.
            $receiver.DefaultResponse = [AlertHooks.ReceiverResponse]::Parse('200:delay=700')
            $sender = Join-Path $TestDrive 'sender.ps1'
            Set-Content -Path $sender -Value @'
$ErrorActionPreference = 'Stop'
Import-Module $env:TEST_MODULE
$policy = New-AlertPolicy -Name crash -EventType JobFailure -Url "$($env:TEST_RECEIVER)hooks/crash" -Body '{"text":"{{alert_summary}}"}'
1..40 | ForEach-Object { New-AlertEvent JobFailure -JobName "crash-$_" } | Send-AlertWebhook -Policy $policy -TimeoutSec 30 | Out-Null
'@
            $environment = @{ ALERTHOOKS_HOME = $env:ALERTHOOKS_HOME; TEST_MODULE = $modulePath; TEST_RECEIVER = $receiver.Url }
            $child = Start-ChildPwsh -Arguments '-NoProfile', '-NonInteractive', '-File', $sender -Environment $environment
            $receiver.WaitForRequests(4, [timespan]::FromSeconds(90)) | Should -BeTrue
            $child.Kill()
            Wait-ChildPwsh $child -TimeoutSec 30

            $atKill = @(Get-AlertDelivery -WarningVariable tornAtKill)
            $pending = @($atKill | Where-Object Status -eq 'Pending')
            $pending.Count | Should -BeGreaterThan 0 -Because 'the alert in flight at the kill is left Pending'
            $tornAtKill | Should -BeNullOrEmpty -Because 'no record is torn'
            @($receiver.Requests.ForEach({ $_.Headers['Idempotency-Key'] }) | Where-Object { $_ -notin $atKill.Id }) | Should -BeNullOrEmpty -Because 'every alert that reached the receiver was journaled before it was sent'

            $receiver.DefaultResponse = [AlertHooks.ReceiverResponse]::new(200)
            $replayer = Join-Path $TestDrive 'replayer.ps1'
            Set-Content -Path $replayer -Value @'
$ErrorActionPreference = 'Stop'
Import-Module $env:TEST_MODULE
Get-AlertDelivery -Status Pending, Failed | Send-AlertWebhook -TimeoutSec 10 | Out-Null
'@
            $replay = Start-ChildPwsh -Arguments '-NoProfile', '-NonInteractive', '-File', $replayer -Environment $environment
            Wait-ChildPwsh $replay -TimeoutSec 90
            $replay.ExitCode | Should -Be 0

            $accounting = Get-DeliveryAccounting -SentId $atKill.Id -Receiver $receiver -InFlightAtKill $pending.Id
            Write-Host (Format-DeliveryAccounting 'Chaos B (sender killed mid-run, fresh process replays)' $accounting)
            Write-Host "Chaos B — journaled before the kill $($atKill.Count) (Pending $($pending.Count)); not yet started when killed $(40 - $atKill.Count) of 40"

            $accounting.Lost | Should -Be 0 -Because ($accounting.LostIds -join '; ')
            $accounting.Delivered | Should -Be $atKill.Count
            $accounting.UnexplainedDuplicates | Should -BeNullOrEmpty
            $accounting.Duplicates | Should -BeLessOrEqual $pending.Count
            @(Get-AlertDelivery).Count | Should -Be $atKill.Count
            @(Get-AlertDelivery -Status Pending, Failed).Count | Should -Be 0
        }
        finally {
            $receiver | Stop-AlertReceiver
        }
    }
}
