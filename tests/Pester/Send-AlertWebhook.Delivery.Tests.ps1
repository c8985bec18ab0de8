BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force
    $body = '{"text":"{{alert_summary}}"}'
    $event = New-AlertEvent -EventType JobFailure -JobName 'daily_etl' -FailureMessage 'Step "load" failed'

    function Send-Scripted {
        param([object[]] $Response, [hashtable] $Extra = @{})
        $script:receiver = Start-AlertReceiver -Response $Response
        $errors = $null
        $result = Send-AlertWebhook -Url "$($script:receiver.Url)hook" -Body $body -Event $event @Extra -ErrorVariable errors -ErrorAction SilentlyContinue
        [pscustomobject]@{ Result = $result; Errors = @($errors); Requests = $script:receiver.Requests }
    }
}

AfterAll {
    Stop-AlertReceiver
}

Describe 'Send-AlertWebhook resilient delivery' {
    AfterEach {
        if ($script:receiver) { $script:receiver | Stop-AlertReceiver; $script:receiver = $null }
    }

    It 'waits out a 429 Retry-After before the next attempt and makes no extra attempt' {
        $run = Send-Scripted -Response @(@{ Status = 429; Headers = @{ 'Retry-After' = '1' }; Body = 'rate_limited' })

        $run.Errors.Count | Should -Be 0
        $run.Result.Succeeded | Should -BeTrue
        $run.Result.Attempts | Should -Be 2
        $run.Requests.Count | Should -Be 2
        ($run.Requests[1].ReceivedAt - $run.Requests[0].ReceivedAt).TotalSeconds | Should -BeGreaterOrEqual 0.95
    }

    It 'turns 500, 500, 200 into one success after three attempts' {
        $retryNow = @{ Status = 500; Headers = @{ 'Retry-After' = '0' } }
        $run = Send-Scripted -Response @($retryNow, $retryNow, 200)

        @($run.Result).Count | Should -Be 1
        $run.Result.Succeeded | Should -BeTrue
        $run.Result.Attempts | Should -Be 3
        $run.Result.StatusCode | Should -Be 200
        $run.Errors.Count | Should -Be 0
        $run.Requests.ResponseStatus | Should -Be @(500, 500, 200)
    }

    It 'does not retry <Status> and shows Slack''s own error text' -ForEach @(
        @{ Status = 400; Code = 'invalid_payload'; Category = 'InvalidData' }
        @{ Status = 403; Code = 'action_prohibited'; Category = 'PermissionDenied' }
        @{ Status = 404; Code = 'channel_not_found'; Category = 'ObjectNotFound' }
        @{ Status = 410; Code = 'channel_is_archived'; Category = 'ObjectNotFound' }
    ) {
        $run = Send-Scripted -Response @(@{ Status = $Status; Body = $Code }) -Extra @{ Target = 'Slack' }

        $run.Requests.Count | Should -Be 1
        $run.Result.Succeeded | Should -BeFalse
        $run.Result.Attempts | Should -Be 1
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be 'AlertDeliveryFailed,AlertHooks.Commands.SendAlertWebhookCommand'
        $run.Errors[0].CategoryInfo.Category | Should -Be $Category
        $run.Errors[0].Exception.Message | Should -Match "HTTP $Status"
        $run.Errors[0].Exception.Message | Should -Match $Code
        $run.Errors[0].Exception.Message | Should -Match '1 attempt\(s\), \d+\.\d\d s'
        $run.Errors[0].TargetObject | Should -Be $run.Result
    }

    It 'reports a Retry-After beyond the maximum as failed for now, with LimitsExceeded' {
        $run = Send-Scripted -Response @(@{ Status = 429; Headers = @{ 'Retry-After' = '86400' }; Body = 'rate_limited' })

        $run.Requests.Count | Should -Be 1
        $run.Result.Failure | Should -Be 'RetryAfterTooLong'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $run.Errors[0].Exception.Message | Should -Match '86400 s'
        $run.Errors[0].Exception.Message | Should -Match 'failed for now'
    }

    It 'gives up on repeated 429s with LimitsExceeded after -MaxAttempts' {
        $again = @{ Status = 429; Headers = @{ 'Retry-After' = '0' } }
        $run = Send-Scripted -Response @($again, $again, $again) -Extra @{ MaxAttempts = 2 }

        $run.Requests.Count | Should -Be 2
        $run.Result.Attempts | Should -Be 2
        $run.Errors[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
    }

    It 'cuts a hanging endpoint with the attempt time-out (OperationTimeout)' {
        $run = Send-Scripted -Response @(@{ Status = 200; DelayMs = 5000 }) -Extra @{ TimeoutSec = 1; MaxAttempts = 1 }

        $run.Result.Succeeded | Should -BeFalse
        $run.Result.Failure | Should -Be 'Timeout'
        $run.Result.StatusCode | Should -BeNullOrEmpty
        $run.Errors[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $run.Errors[0].Exception.Message | Should -Match 'No response within 1 s'
    }

    It 'reports a dropped connection as ConnectionError' {
        $run = Send-Scripted -Response @('drop') -Extra @{ MaxAttempts = 1 }

        $run.Result.Failure | Should -Be 'ConnectionFailed'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $run.Errors[0].Exception.Message | Should -Match 'no HTTP status'
    }

    It 'asks Discord to wait, and a Discord 404 makes later sends fail fast (ResourceUnavailable)' {
        $script:receiver = Start-AlertReceiver -Response @(@{ Status = 404; Body = '{"message": "Unknown Webhook", "code": 10015}' })
        $url = "$($script:receiver.Url)api/webhooks/1/t"
        $first = Send-AlertWebhook -Url $url -Body '{"content":"x"}' -Target Discord -ErrorVariable firstErrors -ErrorAction SilentlyContinue
        $second = Send-AlertWebhook -Url $url -Body '{"content":"x"}' -Target Discord -ErrorVariable secondErrors -ErrorAction SilentlyContinue

        $script:receiver.Requests.Count | Should -Be 1
        $script:receiver.Requests[0].Path | Should -Be '/api/webhooks/1/t?wait=true'
        $firstErrors[0].Exception.Message | Should -Match 'Unknown Webhook \(code 10015\)'
        $second.Failure | Should -Be 'EndpointDead'
        $secondErrors[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
    }

    It 'sets $? to false after a failed send' {
        $script:receiver = Start-AlertReceiver -Response 400
        $null = Send-AlertWebhook -Url $script:receiver.Url -Body $body -ErrorAction SilentlyContinue
        $? | Should -BeFalse
    }

    It 'paces a Slack endpoint so that a receiver enforcing 1/s never answers 429' {
        $script:receiver = Start-AlertReceiver -RateLimit 1 -RateBurst 2
        $results = 1..4 | ForEach-Object { New-AlertEvent JobFailure -JobName "job$_" } |
            Send-AlertWebhook -Url "$($script:receiver.Url)services/T/B/x" -Body $body -Target Slack -MaxAttempts 1

        $results.Succeeded | Should -Not -Contain $false
        $script:receiver.Requests.ResponseStatus | Should -Not -Contain 429
        $script:receiver.RateLimit.Rejected | Should -Be 0
        ($script:receiver.Requests | ForEach-Object { ($_.Body | ConvertFrom-Json).text }) |
            Should -Be @('Job job1 failed', 'Job job2 failed', 'Job job3 failed', 'Job job4 failed')
    }

    It 'streams many events to several endpoints concurrently, one result each' {
        $receivers = 1..3 | ForEach-Object { Start-AlertReceiver }
        try {
            $policies = $receivers | ForEach-Object { New-AlertPolicy -Name "p$($_.Port)" -EventType JobFailure -Url $_.Url -Body $body }
            $results = 1..30 | ForEach-Object { New-AlertEvent JobFailure -JobName "job$_" } | Send-AlertWebhook -Policy $policies -ThrottleLimit 4

            $results.Count | Should -Be 90
            $results.Succeeded | Should -Not -Contain $false
            $receivers | ForEach-Object { $_.RequestCount | Should -Be 30 }
            # One endpoint's alerts arrive in the order they were sent.
            ($receivers[0].Requests | ForEach-Object { ($_.Body | ConvertFrom-Json).text }) | Should -Be (1..30 | ForEach-Object { "Job job$_ failed" })
        }
        finally {
            $receivers | Stop-AlertReceiver
        }
    }

    It 'stops at once on Ctrl+C: the in-flight request is cancelled and nothing is retried' {
        $script:receiver = Start-AlertReceiver -Response @(@{ Status = 500; DelayMs = 30000 })
        $manifest = (Get-Module AlertHooks).Path
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$manifest'; Send-AlertWebhook -Url '$($script:receiver.Url)' -Body '{}' -TimeoutSec 60 -MaxAttempts 5")
            $async = $ps.BeginInvoke()
            $script:receiver.WaitForRequests(1, [timespan]::FromSeconds(20)) | Should -BeTrue
            $ps.Stop()

            $async.IsCompleted | Should -BeTrue
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            Start-Sleep -Milliseconds 300
            $script:receiver.RequestCount | Should -Be 1
        }
        finally {
            $ps.Dispose()
        }
    }
}

Describe 'Send-AlertWebhook security' {
    AfterEach {
        if ($script:receiver) { $script:receiver | Stop-AlertReceiver; $script:receiver = $null }
    }

    It 'keeps a sentinel secret in the URL and headers out of every stream, output object and -WhatIf' {
        $sentinel = 'sentinel-7d3f9a2b'
        $script:receiver = Start-AlertReceiver -Response @(@{ Status = 500; Headers = @{ 'Retry-After' = '0' }; Body = "upstream said $sentinel" }, @{ Status = 401; Body = "token $sentinel revoked" })
        $send = @{
            Url    = "$($script:receiver.Url)hook?token=$sentinel"
            Body   = $body
            Header = @{ Authorization = "Bearer $sentinel"; 'X-Api-Key' = $sentinel }
            Event  = $event
        }

        $streams = Send-AlertWebhook @send -Verbose -Debug -ErrorVariable errors -WarningVariable warnings -InformationVariable information -ErrorAction SilentlyContinue *>&1
        # -WhatIf text goes to the host, so a transcript is what catches it.
        $transcript = Join-Path ([IO.Path]::GetTempPath()) "alerthooks-whatif-$PID-$([guid]::NewGuid().ToString('N')).txt"
        $null = Start-Transcript -Path $transcript
        try { Send-AlertWebhook @send -WhatIf -Verbose } finally { $null = Stop-Transcript }
        $whatIf = Get-Content -Raw $transcript
        Remove-Item $transcript
        $text = @(
            $streams | Out-String
            $streams | Format-List * -Force | Out-String
            $errors | Format-List * -Force | Out-String
            $errors | ForEach-Object { $_.Exception.Message; $_.ErrorDetails.Message; $_.TargetObject | Format-List * | Out-String }
            $warnings | Out-String
            $information | Out-String
            $whatIf
        ) -join "`n"

        $script:receiver.RequestCount | Should -Be 2
        $script:receiver.Requests[0].Headers['Authorization'] | Should -Be "Bearer $sentinel"
        $errors.Count | Should -Be 1
        $errors[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $text | Should -Match 'revoked'
        $whatIf | Should -Match 'What if: .*Send JobFailure alert to'
        $text | Should -Not -Match $sentinel
    }

    It 'refuses a CR/LF header value before sending, naming the header' {
        $script:receiver = Start-AlertReceiver
        Send-AlertWebhook -Url $script:receiver.Url -Body $body -Header @{ 'X-Trace' = "a`r`nX-Injected: 1" } -ErrorVariable errors -ErrorAction SilentlyContinue

        $script:receiver.RequestCount | Should -Be 0
        $errors[0].FullyQualifiedErrorId | Should -Be 'InvalidHeaderValue,AlertHooks.Commands.SendAlertWebhookCommand'
        $errors[0].Exception.Message | Should -Match 'X-Trace'
    }

    It 'refuses http:// to a non-loopback address before sending' {
        Send-AlertWebhook -Url 'http://example.com/hook' -Body $body -ErrorVariable errors -ErrorAction SilentlyContinue

        $errors[0].FullyQualifiedErrorId | Should -Be 'InsecureUrl,AlertHooks.Commands.SendAlertWebhookCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'SecurityError'
    }
}

Describe 'Send-AlertWebhook progress' {
    It 'writes progress while several deliveries are in flight, completes it at the end, and shows no secret' {
        $sentinel = 'sentinel-0c4e8a6f'
        $receivers = 1..2 | ForEach-Object { Start-AlertReceiver -Response (1..10 | ForEach-Object { @{ Status = 200; DelayMs = 40 } }) }
        $manifest = (Get-Module AlertHooks).Path
        $ps = [powershell]::Create()
        try {
            $urls = ($receivers | ForEach-Object { "'$($_.Url)?key=$sentinel'" }) -join ','
            $null = $ps.AddScript(@"
Import-Module '$manifest'
`$index = 0
`$policies = $urls | ForEach-Object { `$index++; New-AlertPolicy -Name "p`$index" -EventType JobFailure -Url `$_ -Body '{"text":"{{alert_summary}}"}' }
1..10 | ForEach-Object { New-AlertEvent JobFailure -JobName "job`$_" } | Send-AlertWebhook -Policy `$policies
"@)
            $output = $ps.Invoke()

            $output.Count | Should -Be 20
            $progress = @($ps.Streams.Progress)
            $progress.Count | Should -BeGreaterThan 1
            $progress[0].StatusDescription | Should -Match 'in flight'
            $progress[-1].RecordType | Should -Be 'Completed'
            ($progress | ForEach-Object { $_.Activity; $_.StatusDescription; $_.CurrentOperation }) -join "`n" | Should -Not -Match $sentinel
        }
        finally {
            $ps.Dispose()
            $receivers | Stop-AlertReceiver
        }
    }
}
