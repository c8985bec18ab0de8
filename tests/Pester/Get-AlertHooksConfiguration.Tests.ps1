BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force
    $script:savedHome = $env:ALERTHOOKS_HOME
}

AfterAll {
    $env:ALERTHOOKS_HOME = $script:savedHome
}

Describe 'Get-AlertHooksConfiguration' {
    BeforeEach {
        $env:ALERTHOOKS_HOME = Join-Path $TestDrive ([guid]::NewGuid())
    }

    It 'returns the defaults under $env:ALERTHOOKS_HOME when nothing was saved' {
        $configuration = Get-AlertHooksConfiguration

        $configuration | Should -BeOfType 'AlertHooks.Configuration'
        $configuration.HomePath | Should -Be $env:ALERTHOOKS_HOME
        $configuration.PolicyStorePath | Should -Be (Join-Path $env:ALERTHOOKS_HOME 'policies')
        $configuration.MaxAttempts | Should -Be 4
        Test-Path (Join-Path $env:ALERTHOOKS_HOME 'config.json') | Should -BeFalse
    }

    It 'stops with ConfigurationInvalid naming a broken config.json' {
        New-Item -ItemType Directory $env:ALERTHOOKS_HOME | Out-Null
        Set-Content (Join-Path $env:ALERTHOOKS_HOME 'config.json') '{ "maxAttempts": '

        $err = { Get-AlertHooksConfiguration } | Should -Throw -ErrorId 'ConfigurationInvalid,AlertHooks.Commands.GetAlertHooksConfigurationCommand' -PassThru
        $err.Exception.Message | Should -BeLike '*config.json*'
    }
}
