BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force
    # Every send is journaled: keep the journal out of the user's own folder.
    $savedHome = $env:ALERTHOOKS_HOME
    $env:ALERTHOOKS_HOME = Join-Path $TestDrive 'home'
    $slackBody = '{"text":"{{alert_summary}}","blocks":[{"type":"section","text":{"type":"mrkdwn","text":"*Details:*\n```{{alert_content}}```"}}]}'
}

AfterAll {
    Stop-AlertReceiver
    $env:ALERTHOOKS_HOME = $savedHome
}

Describe 'Send-AlertWebhook' {
    BeforeEach {
        $receiver = Start-AlertReceiver
    }

    AfterEach {
        $receiver | Stop-AlertReceiver
    }

    It 'delivers the rendered body byte for byte with a JSON content type' {
        $policy = New-AlertPolicy -Name 'ops-slack' -EventType JobFailure -Url "$($receiver.Url)services/ops" -Body '{"text":"{{alert_summary}}: {{failure_message}}"}'
        $event = New-AlertEvent -EventType JobFailure -JobName 'daily_etl' -FailureMessage 'Step "load" failed' -RunLink 'https://dagster.example/runs/1'

        $result = Send-AlertWebhook -Policy $policy -Event $event

        $receiver.Requests.Count | Should -Be 1
        $request = $receiver.Requests[0]
        $request.Method | Should -Be 'POST'
        $request.Path | Should -Be '/services/ops'
        $request.Headers['Content-Type'] | Should -Be 'application/json; charset=utf-8'
        $expected = [System.Text.Encoding]::UTF8.GetBytes('{"text":"Job daily_etl failed: Step \"load\" failed"}')
        [Convert]::ToBase64String($request.BodyBytes) | Should -Be ([Convert]::ToBase64String($expected))

        $result | Should -BeOfType 'AlertHooks.DeliveryResult'
        $result.PolicyName | Should -Be 'ops-slack'
        $result.Succeeded | Should -BeTrue
        $result.StatusCode | Should -Be 200
        $result.Attempts | Should -Be 1
        $result.Endpoint | Should -Be "$($receiver.Url)services/ops"
        $result.Duration | Should -BeOfType [timespan]
    }

    It 'sends custom headers and emits one result per piped event' {
        $policy = New-AlertPolicy -Name 'api' -EventType JobFailure, JobSuccess -Url $receiver.Url -Body $slackBody -Header @{ 'X-Api-Key' = 'k-123456' }

        $results = @(
            New-AlertEvent -EventType JobFailure -JobName 'a'
            New-AlertEvent -EventType JobSuccess -JobName 'b'
        ) | Send-AlertWebhook -Policy $policy

        $results.Count | Should -Be 2
        $receiver.Requests.Count | Should -Be 2
        $receiver.Requests[0].Headers['X-Api-Key'] | Should -Be 'k-123456'
        ($receiver.Requests[1].Body | ConvertFrom-Json).text | Should -Be 'Job b succeeded'
    }

    It 'writes an AlertDeliveryFailed error a runbook can catch, and still emits the result' {
        $failing = Start-AlertReceiver -Response 400
        try {
            $policy = New-AlertPolicy -Name 'bad' -EventType JobFailure -Url $failing.Url -Body $slackBody
            $result = Send-AlertWebhook -Policy $policy -Event (New-AlertEvent JobFailure -JobName x) -ErrorVariable errors -ErrorAction SilentlyContinue

            $result.Succeeded | Should -BeFalse
            $result.StatusCode | Should -Be 400
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -Be 'AlertDeliveryFailed,AlertHooks.Commands.SendAlertWebhookCommand'
            $errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
        }
        finally {
            $failing | Stop-AlertReceiver
        }
    }

    It 'shows the redacted target and the body with -WhatIf and sends nothing' {
        $env:ALERTHOOKS_TEST_KEY = 'sentinel-9f8e7d6c'
        try {
            $policy = New-AlertPolicy -Name 'secret' -EventType JobFailure -Url "$($receiver.Url)?token={{ env.ALERTHOOKS_TEST_KEY }}" -Body $slackBody -Header @{ Authorization = 'Bearer sentinel-1a2b3c4d' }
            $output = Send-AlertWebhook -Policy $policy -Event (New-AlertEvent JobFailure -JobName x) -WhatIf -Verbose 4>&1 6>&1 | Out-String

            $receiver.Requests.Count | Should -Be 0
            $output | Should -Not -Match 'sentinel-'
        }
        finally {
            Remove-Item Env:ALERTHOOKS_TEST_KEY
        }
    }

    It 'refuses plain http to a non-loopback host before sending' {
        { New-AlertPolicy -Name 'insecure' -EventType JobFailure -Url 'http://example.com/hook' -Body $slackBody } |
            Should -Throw -ErrorId 'InsecureUrl,AlertHooks.Commands.NewAlertPolicyCommand'
    }
}

Describe 'Send-AlertWebhook target validation' {
    It 'refuses a payload the target would reject, names the rule and the JSON path, and sends nothing' {
        $receiver = Start-AlertReceiver
        try {
            Send-AlertWebhook -Url $receiver.Url -Target Discord -Body '{"username":"{{alert_summary}}"}' -ErrorVariable errors -ErrorAction SilentlyContinue

            $receiver.Requests.Count | Should -Be 0
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -Be 'Discord.EmptyMessage,AlertHooks.Commands.SendAlertWebhookCommand'
            $errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $errors[0].Exception.Message | Should -Match 'no content and no embeds'
        }
        finally {
            $receiver | Stop-AlertReceiver
        }
    }
}

Describe 'Send-AlertWebhook signing' {
    It 'signs every delivery with the policy''s Standard Webhooks secret, verifiable by the receiver' {
        $receiver = Start-AlertReceiver
        $key = [byte[]](1..32)
        $env:ALERTHOOKS_TEST_SIGNING = 'whsec_' + [Convert]::ToBase64String($key)
        try {
            $policy = New-AlertPolicy -Name 'signed' -EventType JobFailure -Url $receiver.Url -Body '{"text":"{{alert_summary}}"}' -SigningSecret '{{ env.ALERTHOOKS_TEST_SIGNING }}'
            $result = New-AlertEvent JobFailure -JobName signed_job | Send-AlertWebhook -Policy $policy

            $request = $receiver.Requests[0]
            $id = $request.Headers['webhook-id']
            $timestamp = $request.Headers['webhook-timestamp']
            $id | Should -Be $result.DeliveryId
            $hmac = [System.Security.Cryptography.HMACSHA256]::new($key)
            $expected = 'v1,' + [Convert]::ToBase64String($hmac.ComputeHash([System.Text.Encoding]::UTF8.GetBytes("$id.$timestamp.$($request.Body)")))
            $request.Headers['webhook-signature'] -split ' ' | Should -Contain $expected
            ($result | Format-List * | Out-String) | Should -Not -Match ([regex]::Escape($env:ALERTHOOKS_TEST_SIGNING))
        }
        finally {
            Remove-Item Env:ALERTHOOKS_TEST_SIGNING
            $receiver | Stop-AlertReceiver
        }
    }
}
