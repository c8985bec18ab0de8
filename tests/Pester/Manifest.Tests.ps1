BeforeAll {
    $manifestPath = Join-Path $PSScriptRoot '../../AlertHooks.psd1'
    $manifest = Import-PowerShellDataFile $manifestPath
    Import-Module $manifestPath -Force
}

Describe 'AlertHooks manifest' {
    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest -Path $manifestPath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'exports exactly the cmdlets it lists, without wildcards' {
        $manifest.CmdletsToExport | Should -Not -Contain '*'
        $exported = (Get-Module AlertHooks).ExportedCmdlets.Keys | Sort-Object
        $exported | Should -Be ($manifest.CmdletsToExport | Sort-Object)
    }

    It 'exports no functions, aliases or variables' {
        $manifest.FunctionsToExport | Should -BeNullOrEmpty
        $manifest.AliasesToExport | Should -BeNullOrEmpty
        $manifest.VariablesToExport | Should -BeNullOrEmpty
    }

    It 'declares an output type on every exported cmdlet' {
        foreach ($name in $manifest.CmdletsToExport) {
            (Get-Command $name).OutputType | Should -Not -BeNullOrEmpty -Because "$name must declare [OutputType]"
        }
    }

    It 'ships Core and its libraries with ReadyToRun code compiled from this build, the cmdlet assembly as plain IL' {
        . (Join-Path $PSScriptRoot '../../tools/ReadyToRun/Get-PeFacts.ps1')
        $bin = Join-Path $PSScriptRoot '../../bin'
        $core = Get-PeFacts (Join-Path $bin 'AlertHooks.Core.dll')
        $core.ReadyToRun | Should -BeTrue
        # The same module as the IL the compiler produced last: not a copy left from an earlier build.
        $built = Get-ChildItem (Join-Path $PSScriptRoot '../../src/AlertHooks.Core/bin') -Recurse -Filter AlertHooks.Core.dll |
            Sort-Object LastWriteTime -Descending | Select-Object -First 1
        $core.Mvid | Should -Be (Get-PeFacts $built.FullName).Mvid
        foreach ($library in 'Polly.Core.dll', 'Fluid.dll', 'Parlot.dll') {
            (Get-PeFacts (Join-Path $bin "deps/$library")).ReadyToRun | Should -BeTrue -Because "$library is on the delivery path"
        }
        (Get-PeFacts (Join-Path $bin 'AlertHooks.dll')).ReadyToRun | Should -BeFalse
    }

    It 'has UTF-8 files without a byte order mark' {
        $root = Join-Path $PSScriptRoot '../..'
        $files = @(Get-ChildItem $root -Recurse -File -Include *.ps1, *.psd1, *.ps1xml, *.cs, *.md, *.csproj, *.props |
            Where-Object { $_.FullName -notmatch '[\\/](bin|obj|out)[\\/]' })
        $files.Count | Should -BeGreaterThan 10
        foreach ($file in $files) {
            $bytes = [System.IO.File]::ReadAllBytes($file.FullName)
            ($bytes.Length -ge 3 -and $bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB -and $bytes[2] -eq 0xBF) | Should -BeFalse -Because "$($file.Name) must not start with a BOM"
        }
    }
}
