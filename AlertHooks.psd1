@{
    RootModule           = 'bin/AlertHooks.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Core')
    GUID                 = '5b0c8f7e-3d1a-4c52-9a7e-2f4d6b8c1e90'
    Author               = 'AlertHooks contributors'
    CompanyName          = 'AlertHooks'
    Copyright            = '(c) AlertHooks contributors. MIT License.'
    Description          = 'Templated alert notifications to Slack, Discord, Microsoft Teams, PagerDuty and any HTTPS webhook: platform-compatible token templates, JSON-safe Liquid rendering, validation against each target''s limits, resilient delivery and a local receiver for tests.'
    PowerShellVersion    = '7.4'
    FormatsToProcess     = @('module/AlertHooks.Format.ps1xml')
    # One comma-separated list, not one string per line: PowerShell runs the manifest as a script, and a multi-line
    # @( ) holds a statement per element, whose first evaluation JIT-compiles about 65 more of its methods at every import.
    CmdletsToExport      = @(
        'Export-AlertPolicy',
        'Get-AlertDelivery',
        'Get-AlertHooksConfiguration',
        'Get-AlertPolicy',
        'Get-AlertPreset',
        'Get-AlertToken',
        'Import-AlertPolicy',
        'New-AlertEvent',
        'New-AlertPolicy',
        'Register-AlertPolicy',
        'Remove-AlertDelivery',
        'Send-AlertWebhook',
        'Set-AlertHooksConfiguration',
        'Set-AlertPolicy',
        'Start-AlertReceiver',
        'Stop-AlertReceiver',
        'Sync-AlertPolicy',
        'Test-AlertTemplate',
        'Unregister-AlertPolicy'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Alerting', 'Webhook', 'Slack', 'Discord', 'Teams', 'PagerDuty', 'Dagster', 'Liquid')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ProjectUri   = 'https://github.com/alerthooks/alerthooks'
        }
    }
}
