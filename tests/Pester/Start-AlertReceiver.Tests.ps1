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

    It 'answers with scripted hashtables: status, headers, body, delay and a dropped connection' {
        $receiver = Start-AlertReceiver -Response @(
            @{ Status = 429; Headers = @{ 'Retry-After' = '2' }; Body = 'rate_limited'; DelayMs = 50 }
            'drop'
            201
        )
        try {
            $first = Invoke-WebRequest -Method Post -Uri $receiver.Url -Body '{}' -SkipHttpErrorCheck
            $first.StatusCode | Should -Be 429
            $first.Headers['Retry-After'] | Should -Be '2'
            $first.Content | Should -Be 'rate_limited'
            { Invoke-WebRequest -Method Post -Uri $receiver.Url -Body '{}' } | Should -Throw
            (Invoke-WebRequest -Method Post -Uri $receiver.Url -Body '{}').StatusCode | Should -Be 201
            $receiver.Requests.ResponseStatus | Should -Be @(429, 0, 201)
        }
        finally {
            $receiver | Stop-AlertReceiver
        }
    }

    It 'enforces -RateLimit with 429 and Retry-After beyond the burst' {
        $receiver = Start-AlertReceiver -RateLimit 0.01 -RateBurst 2
        try {
            $codes = foreach ($i in 1..3) { (Invoke-WebRequest -Method Post -Uri $receiver.Url -Body '{}' -SkipHttpErrorCheck).StatusCode }
            $codes | Should -Be @(200, 200, 429)
            $receiver.RateLimit.Rejected | Should -Be 1
        }
        finally {
            $receiver | Stop-AlertReceiver
        }
    }

    It 'names an unknown key of a hashtable response' {
        { Start-AlertReceiver -Response @{ Stauts = 500 } } | Should -Throw -ErrorId 'InvalidReceiverResponse,AlertHooks.Commands.StartAlertReceiverCommand' -ExpectedMessage '*Stauts*'
    }

    It 'refuses a response it cannot read' {
        { Start-AlertReceiver -Response 'teapot' } | Should -Throw -ErrorId 'InvalidReceiverResponse,AlertHooks.Commands.StartAlertReceiverCommand'
    }
}
