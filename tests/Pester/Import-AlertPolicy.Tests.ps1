BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force
    $script:savedHome = $env:ALERTHOOKS_HOME
    $env:ALERTHOOKS_HOME = Join-Path $TestDrive 'home'
    $folder = Join-Path $TestDrive 'policies'
    New-Item -ItemType Directory $folder | Out-Null
    Set-Content -Path (Join-Path $folder 'ops.json') -Value @'
{
  "schemaVersion": 1,
  "name": "ops",
  "eventTypes": ["JobFailure", "JobSuccess"],
  "url": "{{ env.OPS_WEBHOOK_URL }}",
  "target": "Slack",
  "match": { "job_name": "daily_*" },
  "body": { "text": "{{alert_summary}}" }
}
'@
}

AfterAll {
    $env:ALERTHOOKS_HOME = $script:savedHome
}

Describe 'Import-AlertPolicy' {
    It 'reads a file into a validated policy with a stable id' {
        $policy = Import-AlertPolicy -Path (Join-Path $folder 'ops.json')

        $policy | Should -BeOfType 'AlertHooks.AlertPolicy'
        $policy.Name | Should -Be 'ops'
        $policy.Target | Should -Be 'Slack'
        $policy.Match['job_name'] | Should -Be 'daily_*'
        (Import-AlertPolicy -Path (Join-Path $folder 'ops.json')).Id | Should -Be $policy.Id
        ($policy.Body | ConvertFrom-Json).text | Should -Be '{{alert_summary}}'
        @(Get-AlertPolicy).Count | Should -Be 0 -Because 'importing does not register'
    }

    It 'reads every *.json of a folder and names the file of each error' {
        $mixed = Join-Path $TestDrive 'mixed'
        New-Item -ItemType Directory $mixed | Out-Null
        Copy-Item (Join-Path $folder 'ops.json') $mixed
        Set-Content -Path (Join-Path $mixed 'typo.json') -Value '{"schemaVersion":1,"name":"typo","eventTypes":["JobFailure"],"url":"https://a.example.com","body":"{\"t\":\"{{job_nme}}\"}"}'
        Set-Content -Path (Join-Path $mixed 'broken.json') -Value '{"schemaVersion":1,'

        $policies = Import-AlertPolicy -Path $mixed -ErrorVariable errors -ErrorAction SilentlyContinue

        $policies.Name | Should -Be 'ops'
        $errors.Count | Should -Be 2
        $errors[0].Exception.Message | Should -BeLike "*broken.json*not valid JSON*"
        $errors[0].TargetObject | Should -BeLike '*broken.json'
        $errors[1].Exception.Message | Should -BeLike '*typo.json*job_nme*'
        $errors[1].FullyQualifiedErrorId | Should -Be 'UnknownToken,AlertHooks.Commands.ImportAlertPolicyCommand'
    }

    It 'takes files from Get-ChildItem' {
        (Get-ChildItem $folder -Filter *.json | Import-AlertPolicy).Name | Should -Be 'ops'
    }
}
