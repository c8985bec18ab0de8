BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force
    $script:savedHome = $env:ALERTHOOKS_HOME
    $sentinel = 'SENTINELq8w7e6'
    $body = '{"text":"{{alert_summary}}","blocks":[{"type":"section","text":{"type":"mrkdwn","text":"{{alert_content}}"}}]}'
}

AfterAll {
    $env:ALERTHOOKS_HOME = $script:savedHome
}

Describe 'Export-AlertPolicy' {
    BeforeEach {
        $env:ALERTHOOKS_HOME = Join-Path $TestDrive ([guid]::NewGuid())
        $signing = 'whsec_' + [Convert]::ToBase64String([Text.Encoding]::ASCII.GetBytes("$sentinel-0123456789abcdef"))
        New-AlertPolicy -Name 'Ops Slack' -EventType JobFailure -Url "https://hooks.slack.com/services/T0/B0/$sentinel" -Body $body `
            -Header @{ Authorization = "Bearer $sentinel" } -SigningSecret $signing | Register-AlertPolicy | Out-Null
        New-AlertPolicy -Name 'env-only' -EventType JobFailure -Url '{{ env.ENV_ONLY_URL }}' -Body $body -Header @{ 'X-Key' = '{{ env.ENV_ONLY_KEY }}' } |
            Register-AlertPolicy | Out-Null
        $folder = Join-Path $TestDrive ([guid]::NewGuid())
    }

    It 'never writes a literal secret without -IncludeSecret, and names each variable to set' {
        $files = Export-AlertPolicy -Path $folder -WarningVariable warnings -WarningAction SilentlyContinue

        $files.Name | Should -Be @('env-only.json', 'Ops-Slack.json')
        Select-String -Path (Join-Path $folder '*') -SimpleMatch $sentinel | Should -BeNullOrEmpty
        Select-String -Path (Join-Path $folder '*') -SimpleMatch ([Convert]::ToBase64String([Text.Encoding]::ASCII.GetBytes($sentinel)).Substring(0, 12)) | Should -BeNullOrEmpty
        $warnings.Count | Should -Be 3
        ($warnings -join "`n") | Should -Not -Match $sentinel
        $warnings[0] | Should -Match 'ALERTHOOKS_OPS_SLACK_URL_SECRET'
        $exported = Get-Content -Raw (Join-Path $folder 'Ops-Slack.json') | ConvertFrom-Json
        $exported.url | Should -Be 'https://hooks.slack.com/services/{{ env.ALERTHOOKS_OPS_SLACK_URL_SECRET }}'
        $exported.headers.Authorization | Should -Be '{{ env.ALERTHOOKS_OPS_SLACK_HEADER_AUTHORIZATION }}'
        $exported.signingSecret | Should -Be '{{ env.ALERTHOOKS_OPS_SLACK_SIGNING_SECRET }}'
        $envOnly = Get-Content -Raw (Join-Path $folder 'env-only.json') | ConvertFrom-Json
        $envOnly.url | Should -Be '{{ env.ENV_ONLY_URL }}'
        $envOnly.headers.'X-Key' | Should -Be '{{ env.ENV_ONLY_KEY }}'
    }

    It 'writes UTF-8 without BOM, LF line ends, two-space indent and a final newline' {
        Export-AlertPolicy -Path $folder -Name 'env-only' | Out-Null
        $bytes = [IO.File]::ReadAllBytes((Join-Path $folder 'env-only.json'))
        $bytes[0] | Should -Be ([byte][char]'{')
        $bytes[-1] | Should -Be 10
        $bytes[-2] | Should -Be ([byte][char]'}')
        $bytes | Should -Not -Contain 13
        $text = [Text.Encoding]::UTF8.GetString($bytes)
        $text | Should -Match "`n  `"schemaVersion`": 1,`n  `"name`": `"env-only`",`n"
        $text | Should -Match "`n  `"body`": \{`n    `"text`": `"\{\{alert_summary\}\}`","
    }

    It 'writes the secrets with -IncludeSecret into a file only its owner can read' {
        $file = Get-AlertPolicy 'Ops Slack' | Export-AlertPolicy -Path $folder -IncludeSecret

        Select-String -Path $file.FullName -SimpleMatch $sentinel | Should -Not -BeNullOrEmpty
        if (-not $IsWindows) { (Get-Item $file.FullName).UnixMode | Should -Be '-rw-------' }
    }

    It 'writes nothing with -WhatIf' {
        Export-AlertPolicy -Path $folder -WhatIf
        Test-Path $folder | Should -BeFalse
    }
}
