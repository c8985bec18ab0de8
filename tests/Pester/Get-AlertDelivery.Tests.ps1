BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force
    . (Join-Path $PSScriptRoot 'JournalTestHelpers.ps1')
    $savedHome = $env:ALERTHOOKS_HOME
    $modulePath = (Resolve-Path (Join-Path $PSScriptRoot '../../AlertHooks.psd1')).Path
    $body = '{"text":"{{alert_summary}}"}'
}

AfterAll {
    $env:ALERTHOOKS_HOME = $savedHome
    Stop-AlertReceiver
}

Describe 'Get-AlertDelivery' {
    BeforeEach {
        $env:ALERTHOOKS_HOME = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        $journalDir = Join-Path $env:ALERTHOOKS_HOME 'journal'
        # 400 is never retried: the second alert is Failed after one attempt whatever the retry policy.
        $receiver = Start-AlertReceiver -Response 200, 400, 200
        $ops = New-AlertPolicy -Name 'ops-main' -EventType JobFailure -Url "$($receiver.Url)ops?token=sentinel-q-1234" -Body $body -Header @{ Authorization = 'Bearer sentinel-h-5678' }
        $data = New-AlertPolicy -Name 'data-team' -EventType JobFailure -Url "$($receiver.Url)data" -Body $body
        $first = New-AlertEvent JobFailure -JobName 'a' | Send-AlertWebhook -Policy $ops
        $second = New-AlertEvent JobFailure -JobName 'b' | Send-AlertWebhook -Policy $ops -ErrorAction SilentlyContinue
        $third = New-AlertEvent JobFailure -JobName 'c' | Send-AlertWebhook -Policy $data
    }

    AfterEach {
        $receiver | Stop-AlertReceiver
    }

    It 'lists every send as a record with the delivery id the receiver got as Idempotency-Key' {
        $records = @(Get-AlertDelivery)

        $records.Count | Should -Be 3
        $records[0] | Should -BeOfType 'AlertHooks.AlertDelivery'
        $records.Id | Should -Be @($first.DeliveryId, $second.DeliveryId, $third.DeliveryId)
        $receiver.Requests.ForEach({ $_.Headers['Idempotency-Key'] }) | Should -Be $records.Id
        $failed = $records | Where-Object Id -eq $second.DeliveryId
        $failed.Status | Should -Be 'Failed'
        $failed.LastStatusCode | Should -Be 400
        $failed.Attempts | Should -Be 1
        $failed.Reason | Should -Match '400'
        $failed.PolicyName | Should -Be 'ops-main'
        $failed.PolicyId | Should -Be $ops.Id
        $failed.EventType | Should -Be 'JobFailure'
        $failed.Event.Tokens['job_name'] | Should -Be 'b'
        $failed.Body | Should -Be '{"text":"Job b failed"}'
    }

    It 'filters by -Status, -PolicyName wildcards, -Since and -Id' {
        @(Get-AlertDelivery -Status Failed).Id | Should -Be @($second.DeliveryId)
        @(Get-AlertDelivery -Status Delivered).Count | Should -Be 2
        @(Get-AlertDelivery -PolicyName 'data-*').Id | Should -Be @($third.DeliveryId)
        @(Get-AlertDelivery -PolicyName 'ops*' -Status Delivered).Id | Should -Be @($first.DeliveryId)
        @(Get-AlertDelivery -Since (Get-Date).AddMinutes(-5)).Count | Should -Be 3
        @(Get-AlertDelivery -Since (Get-Date).AddMinutes(5)).Count | Should -Be 0
        (Get-AlertDelivery -Id $third.DeliveryId).PolicyName | Should -Be 'data-team'
        @(Get-AlertDelivery "$($first.DeliveryId.Substring(0, 10))*").Count | Should -BeGreaterOrEqual 1
    }

    It 'takes the results of Send-AlertWebhook from the pipeline by their DeliveryId' {
        @($first, $third | Get-AlertDelivery).PolicyName | Should -Be @('ops-main', 'data-team')
    }

    It 'writes DeliveryNotFound for an id the journal does not have' {
        $result = Get-AlertDelivery -Id 'msg_missing' -ErrorVariable errors -ErrorAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -Be 'DeliveryNotFound,AlertHooks.Commands.GetAlertDeliveryCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errors[0].Exception.Message | Should -Match 'msg_missing'
    }

    It 'never shows a secret, neither in the objects nor in the parts of the file a person reads' {
        $shown = Get-AlertDelivery | Format-List * | Out-String -Width 400
        $shown | Should -Not -Match 'sentinel-'
        (Get-AlertDelivery -Id $first.DeliveryId).Endpoint | Should -Be "$($receiver.Url)ops?token=***"
        (Get-AlertDelivery -Id $first.DeliveryId).Headers['Authorization'] | Should -Be '***'
        $lines = @(Get-ChildItem $journalDir -Filter *.log | Get-Content | Where-Object { $_ })
        # Journaled before the first attempt and after the last, or only the latest line once the journal was compacted.
        @($lines | ConvertFrom-Json | ForEach-Object id | Sort-Object -Unique) | Should -Be (@($first, $second, $third).DeliveryId | Sort-Object)
        foreach ($line in $lines) {
            ($line | ConvertFrom-Json | Select-Object * -ExcludeProperty replay | ConvertTo-Json -Depth 5) | Should -Not -Match 'sentinel-'
        }
        # Replay needs them, in the owner-only part of the same lines.
        ($lines -join "`n") | Should -Match 'sentinel-'
    }

    It 'keeps records readable by their owner only (0600 files in a 0700 folder)' -Skip:$IsWindows {
        (Get-Item $journalDir).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
        $logs = @(Get-ChildItem $journalDir -Filter *.log)
        $logs.Count | Should -BeGreaterThan 0
        foreach ($file in $logs) {
            $file.UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        }
    }

    It 'skips a half-written line or temporary file and reports a torn record as a warning' {
        $text = @(Get-ChildItem $journalDir -Filter *.log | Get-Content)[0]
        # A writer killed mid-write leaves its last line without a newline: not a record yet, and nothing to warn about.
        Set-Content -Path (Join-Path $journalDir 'host_1_2_1.log') -Value $text.Substring(0, 100) -NoNewline
        Set-Content -Path (Join-Path $journalDir ".msg_half.1234.tmp") -Value $text.Substring(0, 100) -NoNewline
        # A one-file record of an earlier version, torn: that is a warning naming the file.
        Set-Content -Path (Join-Path $journalDir 'msg_torn.json') -Value $text.Substring(0, 100) -NoNewline

        $records = @(Get-AlertDelivery -WarningVariable warnings -WarningAction SilentlyContinue)

        $records.Count | Should -Be 3
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match 'msg_torn\.json'
    }

    It 'completes delivery ids from the journal' {
        $completions = (TabExpansion2 -inputScript 'Get-AlertDelivery -Id msg_' -cursorColumn 'Get-AlertDelivery -Id msg_'.Length).CompletionMatches
        $completions.CompletionText | Sort-Object | Should -Be (@($first, $second, $third).DeliveryId | Sort-Object)
    }
}

Describe 'The journal shared by several processes' {
    It 'keeps 400 intact records from 4 processes sending 100 alerts each at once' {
        $env:ALERTHOOKS_HOME = Join-Path $TestDrive 'shared'
        $receiver = Start-AlertReceiver
        try {
            $script = Join-Path $TestDrive 'writer.ps1'
            Set-Content -Path $script -Value @'
$ErrorActionPreference = 'Stop'
Import-Module $env:TEST_MODULE
$policy = New-AlertPolicy -Name "writer-$env:TEST_WRITER" -EventType JobFailure -Url $env:TEST_RECEIVER -Body '{"text":"{{alert_summary}}"}'
1..100 | ForEach-Object { New-AlertEvent JobFailure -JobName "job-$_" } | Send-AlertWebhook -Policy $policy | Out-Null
'@
            $children = 1..4 | ForEach-Object {
                Start-ChildPwsh -Arguments '-NoProfile', '-NonInteractive', '-File', $script -Environment @{ ALERTHOOKS_HOME = $env:ALERTHOOKS_HOME; TEST_MODULE = $modulePath; TEST_RECEIVER = $receiver.Url; TEST_WRITER = $_ }
            }
            Wait-ChildPwsh $children -TimeoutSec 180
            $children.ExitCode | Should -Be @(0, 0, 0, 0)

            $records = @(Get-AlertDelivery -WarningVariable warnings)
            $warnings | Should -BeNullOrEmpty
            $records.Count | Should -Be 400
            @($records | Where-Object Status -eq 'Delivered').Count | Should -Be 400
            ($records | Group-Object PolicyName | ForEach-Object Count) | Should -Be @(100, 100, 100, 100)
            @($records.Id | Select-Object -Unique).Count | Should -Be 400
            ($receiver.Requests.ForEach({ $_.Headers['Idempotency-Key'] }) | Sort-Object) | Should -Be ($records.Id | Sort-Object)
            @(Get-ChildItem (Join-Path $env:ALERTHOOKS_HOME 'journal') -Force -Filter *.tmp).Count | Should -Be 0
        }
        finally {
            $receiver | Stop-AlertReceiver
        }
    }
}
