BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force
    $script:savedHome = $env:ALERTHOOKS_HOME
}

AfterAll {
    $env:ALERTHOOKS_HOME = $script:savedHome
}

Describe 'Set-AlertHooksConfiguration' {
    BeforeEach {
        $env:ALERTHOOKS_HOME = Join-Path $TestDrive ([guid]::NewGuid())
    }

    It 'saves only the values given, as config.json in the home' {
        Set-AlertHooksConfiguration -DeploymentName 'prod' -MaxAttempts 6
        Set-AlertHooksConfiguration -DeploymentUrl 'https://dagster.example/prod'

        $configuration = Get-AlertHooksConfiguration
        $configuration.DeploymentName | Should -Be 'prod'
        $configuration.DeploymentUrl | Should -Be 'https://dagster.example/prod'
        $configuration.MaxAttempts | Should -Be 6
        (Get-Content -Raw (Join-Path $env:ALERTHOOKS_HOME 'config.json') | ConvertFrom-Json).deploymentName | Should -Be 'prod'
    }

    It 'moves the policy store with -HomePath' {
        $elsewhere = Join-Path $TestDrive ([guid]::NewGuid())
        $configuration = Set-AlertHooksConfiguration -HomePath $elsewhere -PassThru
        $configuration.PolicyStorePath | Should -Be (Join-Path $elsewhere 'policies')

        New-AlertPolicy -Name 'ops' -EventType JobFailure -Url 'https://alerts.example.com/a' -Body '{"text":"x"}' | Register-AlertPolicy | Out-Null
        @(Get-ChildItem (Join-Path $elsewhere 'policies') -Filter *.json).Count | Should -Be 1
    }

    It 'feeds deployment_name and deployment_url into what Send-AlertWebhook renders' {
        $receiver = Start-AlertReceiver
        try {
            Set-AlertHooksConfiguration -DeploymentName 'from-config' -DeploymentUrl 'https://dagster.example/cfg'
            $policy = New-AlertPolicy -Name 'd' -EventType JobFailure -Url $receiver.Url -Body '{"d":"{{deployment_name}}","u":"{{deployment_url}}"}'
            Send-AlertWebhook -Policy $policy -Event (New-AlertEvent JobFailure -JobName x) | Out-Null

            $receiver.Requests[0].Body | Should -Be '{"d":"from-config","u":"https://dagster.example/cfg"}'
        }
        finally {
            $receiver | Stop-AlertReceiver
        }
    }

    It 'refuses values out of range, naming them, and saves nothing' {
        { Set-AlertHooksConfiguration -AttemptTimeoutSec 60 -TotalTimeoutSec 5 } | Should -Throw '*TotalTimeoutSec*'
        { Set-AlertHooksConfiguration -MaxAttempts 0 } | Should -Throw
        Test-Path (Join-Path $env:ALERTHOOKS_HOME 'config.json') | Should -BeFalse
    }
}
