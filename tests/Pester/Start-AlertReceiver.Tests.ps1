BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force
}

Describe 'Start-AlertReceiver / Stop-AlertReceiver' {
    It 'listens on a free loopback port and records what arrives' {
        $receiver = Start-AlertReceiver
        try {
            $receiver | Should -BeOfType 'AlertHooks.AlertReceiver'
            $receiver.Url | Should -Match '^http://127\.0\.0\.1:\d+/$'
            $null = Invoke-RestMethod -Method Post -Uri "$($receiver.Url)abc" -Body '{"x":1}' -ContentType 'application/json'
            $receiver.Requests[0].Path | Should -Be '/abc'
            $receiver.Requests[0].Body | Should -Be '{"x":1}'
        }
        finally {
            $receiver | Stop-AlertReceiver
        }
        $receiver.IsRunning | Should -BeFalse
    }

    It 'answers with the scripted statuses in order' {
        $receiver = Start-AlertReceiver -Response 429, 500, 200
        try {
            $codes = foreach ($i in 1..3) {
                (Invoke-WebRequest -Method Post -Uri $receiver.Url -Body '{}' -SkipHttpErrorCheck).StatusCode
            }
            $codes | Should -Be @(429, 500, 200)
        }
        finally {
            $receiver | Stop-AlertReceiver
        }
    }

    It 'refuses a response it cannot read' {
        { Start-AlertReceiver -Response 'teapot' } | Should -Throw -ErrorId 'InvalidReceiverResponse,AlertHooks.Commands.StartAlertReceiverCommand'
    }
}
